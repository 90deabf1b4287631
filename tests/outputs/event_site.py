"""One small site with an event of every kind, shared by the event page, calendar and feed tests.

Built at conftest.NOW: Tuesday 2026-12-01, 09:00 in Chicago. The storytime series crosses the
spring daylight-saving change (2027-03-14) so calendars and pages must agree across it.
"""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, BuiltSite, write_files

from sitegen.build import build_site

BASE = "https://library.example.org/"

EVENT_SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
branches:
  central:
    name: Central Library
    address:
      {street: 300 West Mill Street, city: Riverbend, region: MN, postal_code: "55988", country: US}
  eastside:
    name: Eastside Branch
    address:
      street: 1415 Prairie Avenue East
      city: Riverbend
      region: MN
      postal_code: "55988"
      country: US
audiences: {kids: Children, teens: Teens, adults: Adults}
categories:
  storytime: Storytime
  books: Books and reading
  arts: Arts and crafts
  technology: Technology help
events:
  default_duration: 90
  home_count: 4
-- content/events/storytime.md --
---
title: Preschool Storytime
start: 2026-12-01 10:30
end: 11:15
branch: central
location: Children's Room
audiences: [kids]
categories: [storytime]
repeat: FREQ=WEEKLY;BYDAY=TU;UNTIL=20270413
except: [2026-12-29]
changes:
  - date: 2026-12-22
    status: cancelled
    note: Staff training
  - date: 2027-01-05
    start: 2027-01-06 10:30
    location: Heron Room
---
Songs, rhymes and stories for ages 3 to 5.
-- content/events/book-club.md --
---
title: First Monday Book Club
start: 2026-12-07 18:30
end: 19:30
branch: eastside
audiences: [adults]
categories: [books]
repeat: FREQ=MONTHLY;BYDAY=1MO;COUNT=6
---
This month: a winter mystery.
-- content/events/craft-fair.md --
---
title: Winter Craft Fair
start: 2026-12-11
end: 2026-12-13
branch: eastside
categories: [arts]
cost: $5 per table
registration_url: https://library.example.org/register/craft-fair
registration_required: true
---
Local makers sell their work.
-- content/events/art-show.md --
---
title: Student Art Show
start: 2026-11-28
end: 2026-12-05
branch: central
categories: [arts]
---
Paintings by Riverbend students.
-- content/events/author-talk.md --
---
title: "Author Talk: Ana Díaz, «Rivers»; Q&A"
start: 2026-12-10 19:00
end: 20:00
timezone: America/New_York
online_url: https://stream.example.org/ana-diaz
audiences: [adults]
categories: [books]
status: rescheduled
previous_start: 2026-12-03 19:00
summary: A conversation streamed from New York, with questions from the audience.
---
Ana Díaz talks about her new novel.
-- content/events/knitting.md --
---
title: Knitting Circle
start: 2026-12-15 14:00
branch: central
audiences: [adults]
categories: [arts]
status: cancelled
status_note: Our host is unwell.
---
Bring your needles.
-- content/events/game-night.md --
---
title: Teen Game Night
start: 2026-12-18 17:00
end: 19:00
branch: eastside
audiences: [teens]
status: postponed
---
Board games and pizza.
-- content/events/tech-help.md --
---
title: Tech Help Drop-in
start: 2026-12-16 13:00
end: 15:00
branch: central
categories: [technology]
status: moved-online
online_url: https://meet.example.org/tech-help
---
Bring your phone or laptop questions.
-- content/events/history-lecture.md --
---
title: Local History Lecture
start: 2026-12-17 19:00
branch: central
location: Heron Room
online_url: https://stream.example.org/history
audiences: [adults]
---
The river mills of Riverbend.
-- content/events/book-sale.md --
---
title: November Book Sale
start: 2026-11-20 10:00
end: 16:00
branch: central
categories: [books]
---
Hardcovers for a dollar.
"""

# What a visitor should see at NOW.
STATUS_OF = {
    "storytime": "scheduled",
    "book-club": "scheduled",
    "craft-fair": "scheduled",
    "art-show": "scheduled",
    "author-talk": "rescheduled",
    "knitting": "cancelled",
    "game-night": "postponed",
    "tech-help": "moved-online",
    "history-lecture": "scheduled",
    "book-sale": "scheduled",
}


def build_event_site(root: Path, **options) -> BuiltSite:
    write_files(root, EVENT_SITE)
    options.setdefault("now", NOW)
    return BuiltSite(root, build_site(root, **options))
