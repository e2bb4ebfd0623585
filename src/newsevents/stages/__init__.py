"""Pipeline stages, one module per stage, each named for what it produces."""
