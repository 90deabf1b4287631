// How the files beside this one were made: each is an entry as Decap CMS 3 saves it, for
// tests/outputs/test_admin.py. Decap writes front matter with decap-cms-core's
// formats/yaml.ts (the `yaml` package, version 1: createNode, keys sorted in the order of the
// collection's fields, Document.toString) between gray-matter's `---` fences. Fields with a
// default (false, "", []) are written even when left alone, as Decap does.
// To remake them: npm install yaml@1 && node serialise.js .
const YAML = require("yaml");
function toFile(data, sortedKeys) {
  const node = YAML.createNode(data);
  node.items.sort((a, b) => {
    const i = sortedKeys.indexOf(a.key.toString()), j = sortedKeys.indexOf(b.key.toString());
    return i === -1 || j === -1 ? 0 : i - j;
  });
  const doc = new YAML.Document();
  doc.contents = node;
  return doc.toString();
}
function frontmatter(entry, order) {
  const { body = "", ...meta } = entry;
  const nl = (s) => (s.endsWith("\n") ? s : s + "\n");
  return nl("---") + nl(toFile(meta, order).trim()) + nl("---") + nl(body);
}
const eventOrder = ["title","start","end","all_day","timezone","branch","location","online_url","audiences","categories","registration_url","registration_required","cost","status","status_note","previous_start","repeat","except","changes","image","image_alt","summary","tags","slug","sequence","extra","body"];
const postOrder = ["title","date","updated","draft","summary","tags","authors","image","image_alt","slug","toc","extra","body"];
const event = {
  title: "Teen Game Night: Board Games & Snacks",
  start: "2026-12-11 18:00", end: "2026-12-11 20:00", all_day: false,
  branch: "main", location: "Teen Room", online_url: "",
  audiences: ["teens"], categories: ["technology"],
  registration_url: "https://www.example-library.org/register/game-night",
  registration_required: true, cost: "", status: "scheduled", status_note: "",
  previous_start: "", repeat: "", except: [], changes: [],
  image: "/images/game-night.png", image_alt: "Four teenagers around a table playing a board game",
  summary: "Board games, card games and snacks: bring a friend or make new ones.",
  tags: ["games", "teens"],
  body: "Board games, card games and snacks. Bring a friend, or come and make new ones!\n\n## What to bring\n\nNothing but yourself: we have the games.",
};
const post = {
  title: "Holiday Hours: Closed December 24–26",
  date: "2026-11-30 09:30", updated: "", draft: false,
  summary: "All branches close for the holidays: here is when we are open.",
  tags: ["hours", "holidays"], authors: ["Dana Whitfield"],
  image: "", image_alt: "", toc: false,
  body: "All branches close from **December 24 to 26**.\n\nThe book drop stays open: see [our hours](/about/).",
};
const pageOrder = ["title","menu","summary","slug","image","image_alt","toc","extra","body"];
const page = {
  title: "Library Cards", menu: 3, summary: "Who can get a card, and how.", slug: "",
  image: "", image_alt: "", toc: true,
  body: "## Who can get a card\n\nEveryone who lives, works or studies in the county.\n\n## How\n\nBring a photo ID to any desk.",
};
const highlightOrder = ["title","url","source","author","author_url","date","summary","image","image_alt","status","pinned","body"];
const highlight = {
  title: "Our visit to the seed library", url: "https://blog.example.org/2026/11/seed-library",
  source: "Springfield Garden Club", author: "June Halvorsen", author_url: "", date: "2026-11-20 08:15",
  summary: "The garden club picked up winter seeds.", image: "", image_alt: "",
  status: "approved", pinned: false, body: "",
};
const fs = require("fs");
fs.mkdirSync(process.argv[2] + "/posts", { recursive: true });
fs.mkdirSync(process.argv[2] + "/pages", { recursive: true });
fs.mkdirSync(process.argv[2] + "/events", { recursive: true });
fs.mkdirSync(process.argv[2] + "/highlights", { recursive: true });
fs.writeFileSync(process.argv[2] + "/pages/library-cards.md", frontmatter(page, pageOrder));
fs.writeFileSync(process.argv[2] + "/highlights/our-visit-to-the-seed-library.md", frontmatter(highlight, highlightOrder));
require("fs").writeFileSync(process.argv[2] + "/events/teen-game-night.md", frontmatter(event, eventOrder));
require("fs").writeFileSync(process.argv[2] + "/posts/2026-11-30-holiday-hours-closed-december-24-26.md", frontmatter(post, postOrder));
