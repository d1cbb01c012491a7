"""The portfolio site: static pages to browse and share a portfolio, and a live
preview that redraws them as the model is written.

- :mod:`~layermodel.site.names`: the pages' file names, from ids and free text;
- :mod:`~layermodel.site.inputs`: the history table and the drift report;
- :mod:`~layermodel.site.figures`: every figure the pages show, computed once;
- :mod:`~layermodel.site.markup`: escaping HTML and the page shell;
- :mod:`~layermodel.site.pictures`: the layer rollup and history sparklines;
- :mod:`~layermodel.site.explore`: the layout of the interactive Explore page;
- :mod:`~layermodel.site.pages`: the pages;
- :mod:`~layermodel.site.build`: writing the site, swapped in whole;
- :mod:`~layermodel.site.preview`: the preview server (``layermodel serve``).

>>> import layermodel as lm, tempfile
>>> from layermodel.site import build_site
>>> with tempfile.TemporaryDirectory() as tmp:
...     build_site(lm.example(), tmp + "/site").pages > 20
True
"""

from layermodel.site.build import MARKER, SiteError, SiteResult, build_site
from layermodel.site.inputs import Drift, DriftEdge, History, HistoryRow, read_drift, read_history
from layermodel.site.names import slug
from layermodel.site.preview import Preview, check_loopback

__all__ = [
    "MARKER",
    "Drift",
    "DriftEdge",
    "History",
    "HistoryRow",
    "Preview",
    "SiteError",
    "SiteResult",
    "build_site",
    "check_loopback",
    "read_drift",
    "read_history",
    "slug",
]
