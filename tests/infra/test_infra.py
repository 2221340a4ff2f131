"""Checks of the deployment files that need no container engine, Kubernetes or helm binary.

Run: /usr/bin/python3 tests/infra/test_infra.py [--trx FILE]   (scripts/ensure-infra-tools.sh installs what it needs)
"""
import json
import os
import re
import subprocess
import sys
import unittest
import xml.sax.saxutils
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "rnnlab"
TEMPLATES = CHART / "templates"


def read(path):
    return (ROOT / path).read_text(encoding="utf-8")


def assembly_name(csproj):
    match = re.search(r"<AssemblyName>([^<]+)</AssemblyName>", read(csproj))
    return match.group(1) if match else Path(csproj).stem


def health_paths():
    """The liveness and readiness paths the server maps (HealthEndpoints.cs)."""
    source = read("src/RnnLab.Server/Hosting/HealthEndpoints.cs")
    return {name: re.search(rf'{name}Path = "([^"]+)"', source).group(1) for name in ("Live", "Ready")}


def appsettings_ports():
    endpoints = json.loads(read("src/RnnLab.Server/appsettings.json"))["Kestrel"]["Endpoints"]
    return {name: int(e["Url"].rsplit(":", 1)[1]) for name, e in endpoints.items()}


# --- Helm template parsing -----------------------------------------------------------------------------------------

ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
BLOCK_OPENERS = ("if", "range", "with", "define", "block")


def template_actions(text):
    """The actions of a Go template, after checking that every {{ has its }} and no comment is left open."""
    opened = text.count("{{")
    closed = text.count("}}")
    if opened != closed:
        raise AssertionError(f"{opened} '{{{{' but {closed} '}}}}'")
    actions = ACTION.findall(text)
    if len(actions) != opened:
        raise AssertionError("an action is not closed before the next one opens")
    return [a for a in actions if not (a.startswith("/*") and a.endswith("*/"))]


def check_blocks(actions):
    """if/range/with/define/block each closed by end; else only inside if/range/with; parentheses and quotes balanced."""
    stack = []
    for action in actions:
        word = action.split(None, 1)[0] if action else ""
        if word in BLOCK_OPENERS:
            stack.append(word)
        elif word == "end":
            if not stack:
                raise AssertionError("'end' without an open block")
            stack.pop()
        elif word == "else":
            if not stack or stack[-1] not in ("if", "range", "with"):
                raise AssertionError(f"'{action}' outside if/range/with")
        unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', action)
        if unquoted.count('"') % 2:
            raise AssertionError(f"unbalanced quote in '{action}'")
        if unquoted.count("(") != unquoted.count(")"):
            raise AssertionError(f"unbalanced parentheses in '{action}'")
    if stack:
        raise AssertionError(f"unclosed blocks: {stack}")


def values_paths(text):
    """Every .Values.a.b path used (also as $.Values and $root.Values)."""
    return set(re.findall(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)", text))


def skeleton(text):
    """A template with its actions replaced, for a YAML parse: lines that are only actions go, inline actions become a scalar."""
    lines = []
    for line in text.splitlines():
        stripped = ACTION.sub("", line).strip()
        if not stripped and "{{" in line:
            continue
        lines.append(ACTION.sub("x", line))
    return "\n".join(lines)


class HelmChart(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.values = yaml.safe_load((CHART / "values.yaml").read_text())
        cls.schema = json.loads((CHART / "values.schema.json").read_text())
        cls.templates = {p.name: p.read_text() for p in sorted(TEMPLATES.iterdir()) if p.suffix in (".yaml", ".tpl", ".txt")}

    def validator(self):
        jsonschema.Draft7Validator.check_schema(self.schema)
        return jsonschema.Draft7Validator(self.schema)

    def test_chart_yaml_names_the_chart_and_a_version(self):
        chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
        self.assertEqual("v2", chart["apiVersion"])
        self.assertEqual("rnnlab", chart["name"])
        self.assertRegex(chart["version"], r"^\d+\.\d+\.\d+")

    def test_values_yaml_satisfies_values_schema_json(self):
        errors = [f"{'.'.join(map(str, e.path))}: {e.message}" for e in self.validator().iter_errors(self.values)]
        self.assertEqual([], errors)

    def test_the_schema_rejects_a_misspelt_key_and_a_wrong_type(self):
        validator = self.validator()
        for path, bad in ((("worker", "replica"), 3), (("worker", "replicas"), "four"), (("config", "leaseDuration"), "30s"),
                          (("cluster", "siloPort"), 70000), (("image", "pullPolicy"), "Sometimes")):
            values = json.loads(json.dumps(self.values))
            node = values
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = bad
            with self.subTest(path=".".join(path)):
                self.assertTrue(list(validator.iter_errors(values)), f"{'.'.join(path)}={bad!r} was accepted")

    def test_every_values_path_the_templates_use_exists_in_values_yaml(self):
        missing = []
        for name, text in self.templates.items():
            for path in values_paths(text):
                node = self.values
                for key in path.strip(".").split("."):
                    if not isinstance(node, dict) or key not in node:
                        missing.append(f"{name}: .Values{path}")
                        break
                    node = node[key]
        self.assertEqual([], sorted(set(missing)))

    def test_every_values_key_is_used_by_a_template(self):
        used = set()
        for text in self.templates.values():
            for path in values_paths(text):
                keys = path.strip(".").split(".")
                used.update(".".join(keys[:i]) for i in range(1, len(keys) + 1))

        def leaves(node, prefix=""):
            for key, value in node.items():
                path = f"{prefix}{key}"
                if isinstance(value, dict) and value and path not in used:
                    yield from leaves(value, path + ".")
                else:
                    yield path

        self.assertEqual([], [p for p in leaves(self.values) if p not in used])

    def test_template_actions_balance(self):
        for name, text in self.templates.items():
            with self.subTest(template=name):
                check_blocks(template_actions(text))

    def test_the_block_check_finds_a_missing_end_and_a_stray_brace(self):
        with self.assertRaises(AssertionError):
            check_blocks(template_actions("{{- if .Values.a }}\nx: 1\n"))
        with self.assertRaises(AssertionError):
            template_actions("x: {{ .Values.a }\n")

    def test_every_included_template_is_defined(self):
        defined = set(re.findall(r'define "([^"]+)"', self.templates["_helpers.tpl"]))
        for name, text in self.templates.items():
            for used in re.findall(r'(?:include|template) "([^"]+)"', text):
                with self.subTest(template=name, include=used):
                    self.assertIn(used, defined)

    def test_manifest_templates_are_yaml_once_actions_are_set_aside(self):
        for name, text in self.templates.items():
            if not name.endswith(".yaml"):
                continue
            with self.subTest(template=name):
                documents = [d for d in yaml.safe_load_all(skeleton(text)) if d]
                for document in documents:
                    self.assertIn("apiVersion", document)
                    self.assertIn("kind", document)

    def test_probes_use_the_paths_the_server_serves(self):
        paths = health_paths()
        helpers = self.templates["_helpers.tpl"]
        self.assertIn(f"path: {paths['Live']}", helpers)
        self.assertIn(f"path: {paths['Ready']}", helpers)

    def test_the_chart_has_the_objects_the_cluster_needs(self):
        kinds = set()
        for text in self.templates.values():
            kinds.update(re.findall(r"^kind: (\w+)", text, re.M))
        for kind in ("Deployment", "Service", "Secret", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                     "Ingress", "ServiceMonitor", "StatefulSet", "ServiceAccount", "Role", "RoleBinding"):
            self.assertIn(kind, kinds)

    def test_no_secret_is_in_the_config_map(self):
        configmap = self.templates["configmap.yaml"]
        self.assertNotRegex(configmap, r"(?i)password|connectionstring|KEYS__")


class Compose(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        env = dict(os.environ, RNNLAB_ENV_FILE="infra/rnnlab.env.example")
        cls.env = env
        result = cls.run_config()
        if result.returncode != 0:
            raise AssertionError(f"docker-compose config failed:\n{result.stderr}")
        cls.config = yaml.safe_load(result.stdout)

    @classmethod
    def run_config(cls, *args):
        return subprocess.run(["docker-compose", "-f", "docker-compose.yml", "config", *args],
                              cwd=ROOT, env=cls.env, capture_output=True, text=True)

    def test_docker_compose_config_is_valid(self):
        result = self.run_config("-q")
        self.assertEqual(0, result.returncode, result.stderr)

    def test_the_services_of_a_cluster_are_there(self):
        services = self.config["services"]
        for name in ("postgres", "api", "worker", "dashboard", "otel-collector", "prometheus", "grafana"):
            self.assertIn(name, services)
        for name in ("otel-collector", "prometheus", "grafana", "jaeger"):
            self.assertEqual(["observability"], services[name].get("profiles"), name)

    def test_workers_can_be_scaled(self):
        worker = self.config["services"]["worker"]
        self.assertNotIn("container_name", worker)
        self.assertNotIn("ports", worker)
        self.assertEqual("Worker", worker["environment"]["RNNLAB_ROLE"])

    def test_every_long_running_service_has_a_health_check_on_a_served_path(self):
        paths = set(health_paths().values())
        services = self.config["services"]
        self.assertIn("pg_isready", " ".join(services["postgres"]["healthcheck"]["test"]))
        for name in ("api", "worker"):
            test = services[name]["healthcheck"]["test"]
            self.assertIn(test[2], paths, name)
        self.assertEqual("service_healthy", services["api"]["depends_on"]["postgres"]["condition"])

    def test_no_key_or_password_is_written_in_the_compose_file(self):
        text = read("docker-compose.yml")
        for line in text.splitlines():
            if re.search(r"(?i)(KEYS__\d|PASSWORD|CONNECTIONSTRING|APIKEY)\s*[:=]", line):
                self.assertRegex(line, r"\$\{[A-Z_]+:?-?\}", f"a secret written in docker-compose.yml: {line.strip()}")
        self.assertIn("env_file", text)

    def test_prometheus_scrapes_metrics_on_the_web_port(self):
        prometheus = yaml.safe_load(read("infra/observability/prometheus.yml"))
        web = appsettings_ports()["Web"]
        jobs = {job["job_name"]: job for job in prometheus["scrape_configs"]}
        for name in ("rnnlab-api", "rnnlab-worker"):
            self.assertEqual("/metrics", jobs[name]["metrics_path"])
            self.assertEqual(web, jobs[name]["dns_sd_configs"][0]["port"])

    def test_collector_pipelines_use_declared_components(self):
        collector = yaml.safe_load(read("infra/observability/otel-collector.yaml"))
        for name, pipeline in collector["service"]["pipelines"].items():
            for kind in ("receivers", "processors", "exporters"):
                for component in pipeline.get(kind, []):
                    self.assertIn(component, collector[kind], f"{name}.{kind}")

    def test_the_grafana_dashboard_queries_metrics_the_server_exports(self):
        dashboard = json.loads(read("infra/observability/grafana/dashboards/rnnlab.json"))
        source = read("src/RnnLab.Server/Telemetry/RnnLabMetrics.cs")
        exported = set()
        for name, unit in re.findall(r'Create\w+(?:<\w+>)?\(\s*"(rnnlab\.[a-z_.]+)",[^"]*"([^"]*)"', source):
            base = name.replace(".", "_")
            suffix = {"s": "_seconds"}.get(unit, "")
            exported.add(base + suffix)
        used = set()
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                used.update(re.findall(r"\b(rnnlab_[a-z_]+)", target["expr"]))
        self.assertTrue(used)
        for metric in used:
            base = re.sub(r"_(bucket|count|sum|total)$", "", metric)
            self.assertIn(base, exported, metric)


class Image(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dockerfile = read("infra/Dockerfile")

    def test_every_path_the_dockerfile_copies_from_the_context_exists(self):
        for line in self.dockerfile.splitlines():
            if line.startswith("COPY ") and "--from=" not in line:
                sources = line.split()[1:-1]
                for source in sources:
                    with self.subTest(source=source):
                        self.assertTrue((ROOT / source).exists(), source)

    def test_published_projects_and_entry_scripts_name_the_real_assemblies(self):
        published = re.findall(r"dotnet publish (\S+\.csproj)", self.dockerfile)
        self.assertEqual(3, len(published))
        for project in published:
            self.assertTrue((ROOT / project).exists(), project)
        scripts = {name: read(f"infra/bin/{name}") for name in ("rnnlab", "rnnlab-server", "rnnlab-dashboard")}
        self.assertIn(f"/{assembly_name('src/RnnLab.Server/RnnLab.Server.csproj')}.dll", scripts["rnnlab-server"])
        self.assertIn(f"/{assembly_name('src/RnnLab.Cli/RnnLab.Cli.csproj')}.dll", scripts["rnnlab"])
        self.assertIn(f"/dashboard/{assembly_name('src/RnnLab.Dashboard/RnnLab.Dashboard.csproj')}.dll", scripts["rnnlab-dashboard"])
        self.assertRegex(self.dockerfile, r'ENTRYPOINT \["rnnlab-server"\]')

    def test_runtime_runs_as_a_non_root_user_with_a_health_check(self):
        runtime = self.dockerfile.split("AS runtime", 1)[1]
        self.assertRegex(runtime, r"\nUSER \$APP_UID\n")
        self.assertIn(f'"rnnlab-healthcheck", "{health_paths()["Live"]}"', runtime)

    def test_exposed_ports_include_the_configured_endpoints(self):
        exposed = {int(p) for line in re.findall(r"^EXPOSE (.+)$", self.dockerfile, re.M) for p in line.split()}
        self.assertLessEqual(set(appsettings_ports().values()), exposed)

    def test_the_health_check_script_reads_a_status_line(self):
        # Against a port nothing listens on it must fail, not hang or succeed.
        result = subprocess.run(["bash", str(ROOT / "infra/bin/rnnlab-healthcheck"), "/health/live", "1"],
                                capture_output=True, text=True, timeout=30)
        self.assertNotEqual(0, result.returncode)


def write_trx(path, result, total):
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    passed = total - failed - skipped
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<TestRun name="infra" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">\n'
        f'  <ResultSummary outcome="{"Failed" if failed else "Completed"}">\n'
        f'    <Counters total="{total}" executed="{total - skipped}" passed="{passed}" failed="{failed}" notExecuted="{skipped}" />\n'
        f'    <Output><StdOut>{xml.sax.saxutils.escape(" ".join(str(t) for t, _ in result.failures + result.errors))}</StdOut></Output>\n'
        "  </ResultSummary>\n</TestRun>\n",
        encoding="utf-8")


if __name__ == "__main__":
    args = sys.argv[1:]
    trx = None
    if args[:1] == ["--trx"]:
        trx, args = args[1], args[2:]
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    if trx:
        write_trx(trx, result, result.testsRun)
    sys.exit(0 if result.wasSuccessful() else 1)
