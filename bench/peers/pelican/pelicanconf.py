"""Pelican settings for bench/compare.py: the same site as sitegen's, default theme.

10 posts a page, tag pages, Atom feeds of 20 items (the whole site, each tag), posts at
/posts/SLUG/, and the content cache on (CACHE_CONTENT) so a rebuild re-reads only edited files.
"""

SITENAME = "Bench Library"
SITEURL = "https://bench.example.org"
TIMEZONE = "America/Chicago"
DEFAULT_LANG = "en"
PATH = "content"
OUTPUT_PATH = "output"
CACHE_PATH = "cache"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
DEFAULT_PAGINATION = 10
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "feeds/{slug}.atom.xml"
FEED_MAX_ITEMS = 20
# Folders, as sitegen and Hugo make them. Pelican's default pagination names page 2 of the tag
# "topic-1" tag/topic-12.html, which is page 1 of the tag "topic-12".
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
