"""The web editor at /admin/: Decap CMS's config.yml and page, made from sitegen's own schema.

Takes the front matter keys the readers declare (POST_KEYS, PAGE_KEYS, EVENT_KEYS,
HIGHLIGHT_KEYS) and site.yaml's branches, audiences and categories; gives the OutputFiles of
/admin/: the page, config.yml, a small script of checks Decap cannot express, and the Netlify
Identity e-mails that bring invited staff to the editor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

import yaml

from sitegen import urls
from sitegen.config import SiteConfig
from sitegen.outputs.editor_fields import HIGHLIGHT_STATUS_LABELS, fields_for
from sitegen.outputs.files import OutputFile
from sitegen.readers.events import EVENT_KEYS
from sitegen.readers.highlights import HIGHLIGHT_KEYS, HIGHLIGHTS_FOLDER, IMAGES_FOLDER
from sitegen.readers.pages import PAGE_KEYS
from sitegen.readers.posts import POST_KEYS

# Decap is loaded from npm's CDN at a pinned version; the browser refuses the file unless its
# SHA-384 matches (Subresource Integrity). To upgrade: `npm pack decap-cms@X`, then
# `openssl dgst -sha384 -binary package/dist/decap-cms.js | base64` (same for the widget).
DECAP_VERSION = "3.16.3"
DECAP_URL = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
DECAP_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
IDENTITY_VERSION = "1.9.2"
IDENTITY_URL = (
    f"https://unpkg.com/netlify-identity-widget@{IDENTITY_VERSION}/build/netlify-identity-widget.js"
)
IDENTITY_INTEGRITY = "sha384-dy2tW8xkhLIj8lZR42MCwZhhDb2cCewZiw0uA65CMpdHiJzL+iubx7HzHcCXU2rW"

MEDIA_FOLDER = "static/images"
PUBLIC_FOLDER = "/images"

# One folder collection per kind of content: (kind, its front matter keys, Decap settings).
_COLLECTIONS: tuple[tuple[str, tuple[str, ...], dict[str, Any]], ...] = (
    (
        "post",
        POST_KEYS,
        {
            "name": "posts",
            "label": "News posts",
            "label_singular": "News post",
            "folder": "content/posts",
            "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
            # Previews serve /posts/FILE-NAME/ too (see outputs.netlify), so this works.
            "preview_path": "posts/{{slug}}",
            "sortable_fields": ["date", "title"],
        },
    ),
    (
        "page",
        PAGE_KEYS,
        {
            "name": "pages",
            "label": "Pages",
            "label_singular": "Page",
            "description": "Pages in folders (sections) are edited in the files themselves.",
            "folder": "content/pages",
            "slug": "{{slug}}",
            "preview_path": "{{slug}}",
            "sortable_fields": ["title"],
        },
    ),
    (
        "event",
        EVENT_KEYS,
        {
            "name": "events",
            "label": "Events",
            "label_singular": "Event",
            "folder": "content/events",
            "slug": "{{slug}}",
            "preview_path": "events/{{slug}}",
            "sortable_fields": ["start", "title"],
        },
    ),
    (
        "highlight",
        HIGHLIGHT_KEYS,
        {
            "name": "highlights",
            "label": "Community highlights",
            "label_singular": "Highlight",
            "description": "Posts from the community. Approve or hide the ones waiting for "
            "review; each decision is part of the pull request.",
            "folder": f"content/{HIGHLIGHTS_FOLDER}",
            "slug": "{{slug}}",
            "media_folder": IMAGES_FOLDER,
            "public_folder": IMAGES_FOLDER,
            "sortable_fields": ["date", "title", "status"],
            "view_filters": [
                {"label": label, "field": "status", "pattern": status}
                for status, label in HIGHLIGHT_STATUS_LABELS.items()
            ],
        },
    ),
)
# Decap's bundled interface languages that site.yaml's `language` may pick.
_LOCALES = frozenset("ca cs da de en es fr hr hu it ja ko nl pl pt ro ru sv tr uk vi".split())


def plan_admin(config: SiteConfig, preview_css: str = "") -> list[OutputFile]:
    """admin/: the editor page, its config.yml and script, and the sign-in e-mails."""
    if not config.editor.enabled:
        return []
    base = urls.ADMIN.lstrip("/")
    files = [
        OutputFile(
            f"{base}index.html", admin_page(config, preview_css).encode(), source="the editor"
        ),
        OutputFile(f"{base}config.yml", decap_config_text(config).encode(), source="the editor"),
        OutputFile(f"{base}sitegen-admin.js", _ADMIN_SCRIPT.encode(), source="the editor"),
    ]
    if config.editor.backend == "git-gateway":
        for name, text in _EMAILS.items():
            html = text.format(title=escape(config.title), admin=escape(urls.ADMIN))
            files.append(
                OutputFile(f"{base}emails/{name}.html", html.encode(), source="the editor")
            )
    return files


def decap_config(config: SiteConfig) -> dict[str, Any]:
    """Decap CMS's configuration for this site, as data."""
    editor = config.editor
    backend: dict[str, Any] = {"name": editor.backend, "branch": editor.branch}
    if editor.repo:
        backend["repo"] = editor.repo
    if editor.review:
        backend["squash_merges"] = True
    data: dict[str, Any] = {"backend": backend}
    if editor.review:
        data["publish_mode"] = "editorial_workflow"
    language = config.language.split("-")[0].lower()
    data.update(
        {
            "locale": language if language in _LOCALES else "en",
            "site_url": config.url,
            "display_url": config.url,
            "media_folder": MEDIA_FOLDER,
            "public_folder": PUBLIC_FOLDER,
            "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
            "collections": [
                collection(kind, keys, settings, config) for kind, keys, settings in _COLLECTIONS
            ],
        }
    )
    if config.logo:
        data["logo_url"] = config.url.rstrip("/") + config.logo
    return data


def decap_config_text(config: SiteConfig) -> str:
    header = (
        "# The web editor's settings, made by sitegen from site.yaml and the content schema.\n"
        "# Do not edit this file: change site.yaml, and the next build makes a new one.\n"
    )
    return header + yaml.safe_dump(
        decap_config(config), sort_keys=False, allow_unicode=True, width=100
    )


def collection(
    kind: str, keys: Iterable[str], settings: Mapping[str, Any], config: SiteConfig
) -> dict[str, Any]:
    """One Decap folder collection: a kind of content file and a field for each key."""
    return {
        **settings,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "fields": fields_for(kind, (*keys, "body"), config),
    }


def admin_page(config: SiteConfig, preview_css: str = "") -> str:
    """admin/index.html: loads the pinned Decap (and Identity widget), never indexed."""
    identity = ""
    if config.editor.backend == "git-gateway":
        identity = _script(IDENTITY_URL, IDENTITY_INTEGRITY)
    preview = f' data-preview-css="{escape(preview_css)}"' if preview_css else ""
    return _ADMIN_PAGE.format(
        language=escape(config.language),
        title=escape(config.title),
        identity=identity,
        decap=_script(DECAP_URL, DECAP_INTEGRITY),
        preview=preview,
    )


def _script(url: str, integrity: str) -> str:
    return f'<script src="{url}" integrity="{integrity}" crossorigin="anonymous"></script>\n'


_ADMIN_PAGE = """\
<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Editor · {title}</title>
{identity}</head>
<body>
<noscript><p>The editor needs JavaScript. The files of the site can be edited in git too.</p>
</noscript>
{decap}<script src="sitegen-admin.js"{preview}></script>
</body>
</html>
"""

# Checks that Decap's config.yml cannot express. An error thrown in preSave stops the save and
# Decap shows its message; `sitegen check` refuses the same mistakes in the pull request.
_ADMIN_SCRIPT = """\
// Made by sitegen. Rules of the site that Decap's settings cannot express.
(function () {
  "use strict";
  var me = document.currentScript;
  var css = me && me.getAttribute("data-preview-css");
  if (css) {
    window.CMS.registerPreviewStyle(css);
  }
  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var data = event.entry.get("data");
      var image = data.get("image");
      var alt = String(data.get("image_alt") || "").trim();
      if (image && !alt) {
        throw new Error(
          "The picture needs a description: fill in \\"Picture description (alt text)\\", " +
          "saying what the picture shows for people who cannot see it."
        );
      }
      return data;
    },
  });
})();
"""

# Netlify Identity's e-mails link to the home page by default, which has no sign-in widget
# (public pages load nothing from other sites). These point staff to /admin/ instead; their
# paths are set once under Site configuration → Identity → Emails (see the README).
_EMAILS = {
    "invitation": """\
<h2>You are invited to edit {title}</h2>
<p>You have been invited to edit the website of {title}.</p>
<p><a href="{{{{ .SiteURL }}}}{admin}#invite_token={{{{ .Token }}}}">Accept the invitation and \
choose a password</a></p>
""",
    "confirmation": """\
<h2>Confirm your sign-up for {title}</h2>
<p><a href="{{{{ .SiteURL }}}}{admin}#confirmation_token={{{{ .Token }}}}">Confirm your e-mail \
address</a></p>
""",
    "recovery": """\
<h2>A new password for the editor of {title}</h2>
<p><a href="{{{{ .SiteURL }}}}{admin}#recovery_token={{{{ .Token }}}}">Choose a new password</a></p>
<p>If you did not ask for this, you can ignore this e-mail.</p>
""",
    "email-change": """\
<h2>Confirm your new e-mail address for {title}</h2>
<p><a href="{{{{ .SiteURL }}}}{admin}#email_change_token={{{{ .Token }}}}">Confirm the new \
address</a></p>
""",
}
