"""What collectstatic gathers for production."""

from django.contrib.staticfiles.apps import StaticFilesConfig


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
