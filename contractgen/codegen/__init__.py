"""Code generation: ContractSet -> the files of a typed Python package (DESIGN.md §6).

    layout.plan     every named type's module, class, attribute and member names (naming.py)
    view            per module: classes, fields, conversions and imports, decided in Python
                    (typemap/scalars: Avro type -> annotation + to/from-fastavro expressions;
                    defaults: Avro default -> Python value; unions: tagged write, dispatching read)
    render          jinja2 (StrictUndefined), body before header so the import block is complete;
                    the body streams into a spool (memory, then an unnamed temporary file)
    package         stream: the tree one file at a time, deterministic (generate: as a sorted list)
    output          the only I/O: write (staged, only our own files) or compare (`--check`),
                    a file at a time as the stream gives them

Generated code imports only `contractgen.runtime` and the stdlib (pydantic for that flavour).
"""
