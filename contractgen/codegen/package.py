"""ContractSet -> every file of the generated package, as data (nothing is written here).

<package>/__init__.py         runtime API check, AVRO_TYPES
<package>/models/<ns>/...      one package per Avro namespace: its records and enums
<package>/<topic>.py           event union, TopicSpec, sync and async producer/consumer
<package>/_checks.py           range checks behind every model's validate()
<package>/duration.py          the value type of Avro's duration (only when a schema uses it)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from contractgen.avro.gcpause import collector_paused
from contractgen.codegen.distribution import as_distribution
from contractgen.codegen.imports import Imports
from contractgen.codegen.layout import Layout, plan
from contractgen.codegen.naming import ModuleName, describe_sources, topic_class_prefix, unique
from contractgen.codegen.pysource import docstring
from contractgen.codegen.render import (
    API_LEVEL,
    GeneratedFile,
    ModuleFile,
    Options,
    OutputFile,
    module_file,
    render_module,
)
from contractgen.codegen.topics import topic_file
from contractgen.codegen.view import (
    CHECKS_MODULE,
    DURATION_MODULE,
    ModelsView,
    ModuleScope,
    RecordView,
    enum_view,
    fixed_view,
    record_view,
)
from contractgen.config import Flavour
from contractgen.ir.model import ContractSet, Enum, Fixed, Record


def generate(contracts: ContractSet, options: Options) -> list[GeneratedFile]:
    """Every file of the package with its whole text, sorted by path (for small packages: a big
    schema's files belong on disk, see `stream`). Raises ContractError for unusable schemas."""
    files = [GeneratedFile(f.path, "".join(f.chunks())) for f in stream(contracts, options)]
    return sorted(files, key=lambda f: f.path)


def stream(contracts: ContractSet, options: Options) -> Iterator[OutputFile]:
    """Every file of the package, one at a time (models modules first): read each file before
    asking for the next, whose making frees it. Raises ContractError for unusable schemas."""
    layout = plan(contracts.types)
    everything = describe_sources(list(contracts.type_files.values()))
    files = _files(contracts, options, layout, everything)
    if options.distribution is not None:
        return as_distribution(files, options, options.distribution, everything)
    return files


def _files(
    contracts: ContractSet, options: Options, layout: Layout, everything: str
) -> Iterator[OutputFile]:
    uses_duration = False
    for path, fullnames in layout.modules().items():
        scope = ModuleScope(
            path,
            contracts.types,
            layout,
            late=options.flavour is Flavour.PYDANTIC,
            local_names=frozenset(layout.classes[n].name for n in fullnames),
        )
        with _models_module(scope, fullnames, contracts, options) as models:
            yield models
        uses_duration = uses_duration or "Duration" in scope.imports.local_names.get(
            f"{'.' * (len(path) + 1)}{DURATION_MODULE}", set()
        )
    yield from _intermediate_packages(layout, everything)
    yield _package_init(layout, everything, contracts, options)
    yield _static(CHECKS_MODULE, "checks.py.jinja", "Range checks behind validate().", everything)
    if uses_duration:
        yield _static(DURATION_MODULE, "duration.py.jinja", "Avro duration.", everything)
    taken = {"models", CHECKS_MODULE, DURATION_MODULE}
    modules = unique([ModuleName(t.name) for t in contracts.topics], taken)
    for topic, module in zip(contracts.topics, modules, strict=True):
        prefix = topic_class_prefix(topic.name)
        with topic_file(topic, module, prefix, layout, contracts.types) as file:
            yield file
    yield GeneratedFile("py.typed", "")


@contextmanager
def _models_module(
    scope: ModuleScope, fullnames: list[str], contracts: ContractSet, options: Options
) -> Iterator[ModuleFile]:
    definitions = [contracts.types[n] for n in fullnames]
    view = ModelsView(
        fixed=[fixed_view(d, scope) for d in definitions if isinstance(d, Fixed)],
        enums=[enum_view(d, scope) for d in definitions if isinstance(d, Enum)],
        records=_records([d for d in definitions if isinstance(d, Record)], scope, options),
        helpers=scope.helpers,
    )
    namespace = definitions[0].namespace
    # a wide record makes several objects per field (views, conversions, lines), freed by their
    # count of references once its class is written: the collector's passes would find nothing
    # (on 200,000 fields they cost an eighth of the time, for no less memory)
    with (
        collector_paused(),
        module_file(
            "/".join(scope.path) + "/__init__.py",
            "models.py.jinja",
            source=describe_sources([contracts.type_files[n] for n in fullnames]),
            doc=docstring(
                f"Avro namespace `{namespace}`." if namespace else "The null namespace.", ""
            ),
            imports=scope.imports,
            exports=[scope.layout.classes[d.fullname].name for d in definitions],
            module=view,
            options=options,
            pydantic=options.flavour is Flavour.PYDANTIC,
        ) as file,
    ):
        yield file


_FACTORY = {Flavour.DATACLASSES: ("dataclasses", "field"), Flavour.PYDANTIC: ("pydantic", "Field")}
"""The callable behind `default_factory=`, by flavour."""


def _records(records: list[Record], scope: ModuleScope, options: Options) -> Iterator[RecordView]:
    """Each record's view as the template reaches it, its class body freed once written."""
    for record in records:
        view = record_view(record, scope, _FACTORY[options.flavour])
        try:
            yield view
        finally:
            view.close()


def _intermediate_packages(layout: Layout, source: str) -> list[GeneratedFile]:
    """`__init__.py` for every package on the way to a namespace that has no types itself."""
    modules = set(layout.modules())
    missing = {path[:i] for path in modules for i in range(1, len(path))} - modules
    missing.add(("models",))
    return [
        GeneratedFile(
            "/".join(path) + "/__init__.py",
            render_module(
                "empty.py.jinja",
                source=source,
                doc=docstring(f"Package for Avro namespaces under `{'.'.join(path[1:])}`.", "")
                if len(path) > 1
                else docstring("The Avro types, one package per namespace.", ""),
                imports=Imports(),
                exports=[],
            ),
        )
        for path in sorted(missing - modules)
    ]


def _package_init(
    layout: Layout, source: str, contracts: ContractSet, options: Options
) -> GeneratedFile:
    scope = ModuleScope((), contracts.types, layout)
    records = [
        (n, scope.ref(n)) for n in sorted(layout.classes) if isinstance(contracts.types[n], Record)
    ]
    text = render_module(
        "package.py.jinja",
        source=source,
        doc=docstring(
            f"`{options.package}`: typed Avro models and Kafka clients from the contracts.\n\n"
            "Import a topic's module for its producer and consumer; the record and enum classes "
            "live in `models`, one package per Avro namespace.",
            "",
        ),
        imports=scope.imports,
        exports=["AVRO_TYPES"],
        api_level=API_LEVEL,
        records=records,
        # pydantic models that name classes of other modules are complete once all are imported
        rebuild=options.flavour is Flavour.PYDANTIC,
    )
    return GeneratedFile("__init__.py", text)


def _static(module: str, template: str, doc: str, source: str) -> GeneratedFile:
    text = render_module(
        template, source=source, doc=docstring(doc, ""), imports=Imports(), exports=[]
    )
    return GeneratedFile(f"{module}.py", text)
