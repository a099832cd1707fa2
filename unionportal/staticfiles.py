"""What collectstatic gathers for production, and the storage that gives their addresses."""

from django.contrib.staticfiles.apps import StaticFilesConfig
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesConfig(StaticFilesConfig):
    """collectstatic without the vendor builds that no page loads.

    ECharts ships some 45 MB of alternative builds (ES module, "common", "simple", unminified,
    extensions) and Bootstrap right-to-left stylesheets; WhiteNoise's Brotli compression of
    them made every deployment's collectstatic take three minutes instead of half a minute.
    Pages load vendor/echarts/echarts.min.js; tests/test_settings.py checks that every file a
    template names is collected.
    """

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "echarts.js",
        "echarts.js.map",
        "echarts.esm.*",
        "echarts.common.*",
        "echarts.simple.*",
        "extension",
        "*.rtl.*",
    ]


class PortalManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage (production's STORAGES["staticfiles"]) that keeps each
    file's address once looked up.

    The manifest is read once, when the process starts, so a file's hashed address cannot
    change while the process runs; looking it up again (the manifest, the URL joining and
    quoting) cost some 0.04 ms per `{% static %}`, six on every page.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        address = self._addresses.get(name)
        if address is None:
            address = super().url(name)
            if len(self._addresses) < _KEEP_AT_MOST:
                self._addresses[name] = address
        return address


# Templates name a few dozen files; a name from elsewhere must not grow the process without end.
_KEEP_AT_MOST = 2000
