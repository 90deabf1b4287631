"""Checks of the built demo site: axe-core in headless Chromium, the Nu Html Checker, HTML."""
