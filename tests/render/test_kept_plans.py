"""KeptPlans: what was planned from some objects comes back only for the very same objects.

In memory, with made-up items; tests/test_incremental.py checks whole sites against cold builds.
"""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass

from sitegen.render.memory import KeptPlans


@dataclass(frozen=True)
class Item:
    title: str


def planned(plans: KeptPlans, settings: object, sources: tuple[object, ...]) -> object:
    """One build's plan of one page: what was kept, else a new plan (kept for the next)."""
    plans.start(settings)
    plan, _ = plans.plan(sources, "page", object)
    plans.finish()
    return plan


def test_the_very_same_objects_give_the_same_plan() -> None:
    plans = KeptPlans()
    post, newer = Item("a"), Item("b")
    first = planned(plans, "settings", (post, newer, None))
    assert planned(plans, "settings", (post, newer, None)) is first


def test_equal_objects_that_are_not_the_same_are_planned_again() -> None:
    plans = KeptPlans()
    post = Item("a")
    first = planned(plans, "settings", (post, None))
    assert planned(plans, "settings", (Item("a"), None)) is not first
    assert planned(plans, "settings", (post, Item("b"))) is not first


def test_other_settings_plan_everything_again() -> None:
    plans = KeptPlans()
    post = Item("a")
    first = planned(plans, ("Test Library", False), (post,))
    again = planned(plans, ("Test Library", True), (post,))
    assert again is not first
    assert planned(plans, ("Test Library", True), (post,)) is again


def test_only_what_the_last_build_used_is_kept() -> None:
    plans = KeptPlans()
    old, new = Item("old"), Item("new")
    first = planned(plans, "settings", (old,))
    planned(plans, "settings", (new,))  # a build without the old item
    assert planned(plans, "settings", (old,)) is not first


def test_kept_objects_stay_alive_so_their_ids_are_never_another_objects() -> None:
    plans = KeptPlans()
    post = Item("a")
    alive = weakref.ref(post)
    planned(plans, "settings", (post,))
    del post
    gc.collect()
    assert alive() is not None  # held by the entry: no new item can take its id
    planned(plans, "settings", (Item("b"),))  # the next build drops it
    gc.collect()
    assert alive() is None


def test_the_same_objects_under_another_key_are_planned_apart() -> None:
    plans = KeptPlans()
    items = (Item("a"), Item("b"))
    plans.start("settings")
    home, kept = plans.plan(items, ("posts", 0), object)
    listing, _ = plans.plan(items, ("posts", 1), object)
    plans.finish()
    assert not kept and home is not listing
    plans.start("settings")
    assert plans.plan(items, ("posts", 1), object) == (listing, True)
