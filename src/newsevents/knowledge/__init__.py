"""Data files the stages load."""
