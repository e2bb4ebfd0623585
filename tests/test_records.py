from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsevents.records import Actor, Analysis, Article, Entity, Event, Mention, Quote, RelatedLink


@given(text=st.text(min_size=1), title=st.one_of(st.none(), st.text()), urls=st.lists(st.text(), max_size=3))
def test_article_round_trips(text: str, title, urls) -> None:
    art = Article(id="x", text=text, title=title, related=tuple(RelatedLink(title=u, url=u) for u in urls))
    assert Article.from_dict(art.to_dict()) == art


def test_analysis_round_trips_with_nested_records() -> None:
    art = Article(id="a1", text="Moscow demanded NATO roll back.")
    ent = Entity(id="e1", text="Moscow", type="GPE", start=0, end=6, canonical="Russia", country="RUS", code="RUSGOV",
                 mentions=(Mention(entity_id="e1", text="Moscow", start=0, end=6, kind="metonym"),))
    ev = Event(source=Actor(name="Russia", code="RUSGOV", country="RUS"), target=Actor(name="NATO", code="IGOWSTNAT"),
               cameo="100", root="10", quad_class=3, goldstein=-5.0, plover="DEMAND", evidence=art.text, start=0, end=31)
    a = Analysis(article=art, entities=(ent,), events=(ev,),
                 quotes=(Quote(text="x", kind="partial", start=0, end=1),), stages=("s@1",))
    again = Analysis.from_dict(a.to_dict())
    assert again == a
    assert isinstance(again.events[0].source, Actor)
    assert isinstance(again.entities[0].mentions[0], Mention)
