# 乡镇工会工作平台 — set-up, run and checks.  `make run` for a demo, `make test` for the tests.
#
# `make install` is safe to repeat: each step runs only when its input changed (the stamps under
# .venv/ and node_modules/ are newer than requirements.lock and package-lock.json).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

PY_STAMP := $(VENV)/.installed-requirements
NODE_STAMP := node_modules/.installed-package-lock
MO_STAMP := var/.compiled-messages
PO_FILES := $(shell find locale -name '*.po' 2>/dev/null)

# Debian packages (reports/FONTS.md says which font sets what):
#   Chinese fonts for the PDF and DOCX summaries; Pango for WeasyPrint and HarfBuzz's subsetter
#   (many times faster than fontTools on CJK fonts); gettext for compilemessages; poppler-utils
#   and LibreOffice Writer, with which the tests read the PDF and open the DOCX; Chromium, which
#   the browser tests (tests/test_browser.py) drive through Playwright instead of downloading one.
# The summary's font stacks need only Noto CJK and LXGW WenKai; the tests check which are embedded.
SYSTEM_PACKAGES := fonts-noto-cjk fonts-lxgw-wenkai libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 gettext poppler-utils libreoffice-writer-nogui chromium

# What `make check` runs the deployment check with: production-like, nothing from a developer's .env.
DEPLOY_ENV = DEBUG=0 TESTING=0 HTTPS=1 \
	ALLOWED_HOSTS=portal.example.gov.cn CSRF_TRUSTED_ORIGINS=https://portal.example.gov.cn \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	FIELD_ENCRYPTION_KEY="$$($(PY) -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"

.PHONY: help install system-packages run test test-fast lint format check clean-db load bench-page-cpu \
	bench-ten-counties

help:
	@echo "make run        安装依赖、迁移数据库、填充演示数据并在 http://$(ADDR)/ 启动"
	@echo "make test       安装依赖并运行全部测试（遵循环境变量 DATABASE_URL）"
	@echo "make test-fast  只运行快的测试：不含浏览器测试（browser）与慢测试（slow），约 4 分钟"
	@echo "make install    只安装：系统字体与库（root 时）、.venv、node_modules、翻译"
	@echo "make lint       ruff format --check、ruff check、分层导入检查（lint-imports）与翻译是否齐全"
	@echo "make format     ruff format 与 ruff check --fix"
	@echo "make check      迁移是否齐全、生产环境 check --deploy、生产 collectstatic"
	@echo "make clean-db   删除本地 SQLite 数据库 var/db.sqlite3"
	@echo "make load       负载测试：50 个用户 60 秒压 gunicorn（县级规模演示数据；DB=postgres 改测 PostgreSQL）"
	@echo "make bench-page-cpu  每类页面的服务器 CPU：当前代码与基线提交并排（DB=postgres 改测 PostgreSQL）"
	@echo "make bench-ten-counties  十个县（300 个乡镇、300 万会员）同库与一个县对比（PostgreSQL；首次建库约 3 分钟）"

install: system-packages $(PY_STAMP) $(NODE_STAMP) $(MO_STAMP)

# Installs only what is missing, and only as root; anyone else is told what to install.
system-packages:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg -s "$$pkg" >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo "注意：缺少系统软件包$$missing（不是 Debian/Ubuntu，请自行安装同类字体与库）"; \
	elif [ "$$(id -u)" -ne 0 ]; then \
	  echo "注意：缺少系统软件包$$missing；请以 root 运行：apt-get install$$missing"; \
	else \
	  echo "==> apt-get install$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq; \
	  apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(PY_STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "需要 Python 3.11 或更高版本：$(PYTHON) 是 $$($(PYTHON) --version)"; exit 1; }
	@if [ ! -x $(PY) ]; then \
	  if ! $(PYTHON) -c 'import ensurepip' 2>/dev/null && [ "$$(id -u)" -eq 0 ] \
	     && command -v apt-get >/dev/null; then \
	    echo "==> apt-get install python3-venv"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
	      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }; \
	  fi; \
	  echo "==> $(PYTHON) -m venv $(VENV)"; $(PYTHON) -m venv $(VENV); \
	fi
	@echo "==> pip install --require-hashes -r requirements.lock"
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

# npm ci empties node_modules first, so the stamp goes with it and is written afterwards.
$(NODE_STAMP): package-lock.json package.json
	@echo "==> npm ci"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MO_STAMP): $(PY_STAMP) $(PO_FILES)
	@if [ -n "$(PO_FILES)" ]; then \
	  if command -v msgfmt >/dev/null; then \
	    echo "==> compilemessages"; \
	    DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0; \
	  else \
	    echo "注意：没有 msgfmt（gettext），界面只显示简体中文"; exit 0; \
	  fi; \
	fi; \
	mkdir -p var; touch $@

run: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) seed_demo --scale small --if-empty
	DEBUG=1 $(MANAGE) runserver $(ADDR)

test: install
	@rc=0; $(VENV)/bin/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest 没有收集到任何测试（退出码 5），视为失败" >&2; fi; \
	exit $$rc

# The subset a developer runs while working: no Chromium, no separate processes or long sweeps
# (the markers are declared in pyproject.toml). `make test` still runs everything.
test-fast:
	@$(MAKE) --no-print-directory test PYTEST_ARGS='-m "not browser and not slow" $(PYTEST_ARGS)'

lint: $(PY_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	@echo "==> lint-imports (layers: docs/architecture.md)"
	DEBUG=1 $(VENV)/bin/lint-imports
	@echo "==> translations: every marked string translated in 繁體 and English, none fuzzy"
	DEBUG=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_catalogues.py

format: $(PY_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(PY_STAMP) $(NODE_STAMP)
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING
	@static_root=$$(mktemp -d); trap 'rm -rf "$$static_root"' EXIT; \
	echo "==> collectstatic (production storage) into a scratch folder"; \
	$(DEPLOY_ENV) STATIC_ROOT="$$static_root" $(MANAGE) collectstatic --noinput -v1

clean-db:
	rm -f var/db.sqlite3 var/db.sqlite3-wal var/db.sqlite3-shm

# benchmarks/load.py: county-scale demo, gunicorn on 127.0.0.1, 50 simulated users for 60 s; it stops
# by itself and exits non-zero on any error or "database is locked". LOAD_ARGS passes more options;
# LOAD_ARGS="--baseline <commit>" runs that commit's code and the current code in turns, side by side.
DB ?= sqlite
LOAD_ARGS ?=
load: $(PY_STAMP) $(NODE_STAMP)
	$(PY) benchmarks/load.py --db $(DB) $(LOAD_ARGS)

# benchmarks/bench_ten_counties.py: a county's dashboard, member search and roll-up summary on a
# PostgreSQL database of ten counties (unionportal_tencounty, built once from unionportal_load:
# about 3 minutes and 3 GB, reused while complete) beside the one-county database, in one run.
# TEN_ARGS passes more options (--rounds, --rebuild, --no-pdf).
TEN_ARGS ?=
bench-ten-counties: $(PY_STAMP)
	$(PY) benchmarks/bench_ten_counties.py $(TEN_ARGS)

# benchmarks/bench_page_cpu.py: the load script's pages, served in-process by the current code and by
# the commit before issue 18 (a git worktree under var/.worktrees/) in turns; CPU per request for
# each kind of page. BENCH_ARGS passes more options (--rounds, --steps, --baseline, --json).
BENCH_ARGS ?=
bench-page-cpu: $(PY_STAMP) $(NODE_STAMP)
	$(PY) benchmarks/bench_page_cpu.py --db $(DB) $(BENCH_ARGS)
