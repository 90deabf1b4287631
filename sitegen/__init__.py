"""sitegen: a static site generator for public libraries.

Turns a site folder (site.yaml, content/, static/, themes/) into a website.
"""

__version__ = "0.1.0"

from sitegen.build import BuildResult, build_site
from sitegen.config import SiteConfig, load_config
from sitegen.errors import Problem, SiteError

__all__ = [
    "BuildResult",
    "Problem",
    "SiteConfig",
    "SiteError",
    "__version__",
    "build_site",
    "load_config",
]
