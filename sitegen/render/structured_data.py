"""schema.org data for search engines: the library (with its branches, hours and accounts) and
each post as a BlogPosting. Takes the site's values; gives plain dicts that templates write
with `tojson`, which escapes <, > and & so no text can end the <script> element early.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sitegen.config import Branch, SiteConfig
from sitegen.model import Post

AbsoluteUrl = Callable[[str], str]
LIBRARY_ID = "/#library"


def library_data(config: SiteConfig, absolute: AbsoluteUrl, full: bool = False) -> dict[str, Any]:
    """The library as a schema.org Library; `full` adds addresses, phones and opening hours."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Library",
        "@id": absolute(LIBRARY_ID),
        "name": config.title,
        "url": absolute("/"),
    }
    if config.description:
        data["description"] = config.description
    if config.logo:
        data["logo"] = absolute(config.logo)
    if config.social:
        data["sameAs"] = [link.url for link in config.social]
    if full:
        branches = [_branch_data(branch) for branch in config.branches.values()]
        if len(branches) == 1:
            data.update({k: v for k, v in branches[0].items() if k not in ("@type", "name")})
        elif branches:
            data["department"] = branches
    return data


def _branch_data(branch: Branch) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Library", "name": branch.name}
    address = branch.address
    if address.lines:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": address.street,
            "addressLocality": address.city,
            "addressRegion": address.region,
            "postalCode": address.postal_code,
            "addressCountry": address.country,
        }
    if branch.phone:
        data["telephone"] = branch.phone
    if branch.email:
        data["email"] = branch.email
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [day.capitalize() for day in entry.days],
            "opens": entry.opens,
            "closes": entry.closes,
        }
        for entry in branch.hours
        if not entry.closed
    ]
    if hours:
        data["openingHoursSpecification"] = hours
    return data


def post_data(post: Post, config: SiteConfig, absolute: AbsoluteUrl) -> dict[str, Any]:
    """A post as a schema.org BlogPosting, published by the library."""
    library: dict[str, Any] = {
        "@type": "Library",
        "@id": absolute(LIBRARY_ID),
        "name": config.title,
        "url": absolute("/"),
    }
    if config.logo:
        library["logo"] = absolute(config.logo)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "datePublished": post.date.isoformat(),
        "dateModified": post.modified.isoformat(),
        "url": absolute(post.url),
        "mainEntityOfPage": absolute(post.url),
        "inLanguage": config.language,
        "author": [{"@type": "Person", "name": name} for name in post.authors] or library,
        "publisher": library,
    }
    if post.image:
        data["image"] = absolute(post.image.src)
    if post.tags:
        data["keywords"] = [tag.name for tag in post.tags]
    return data
