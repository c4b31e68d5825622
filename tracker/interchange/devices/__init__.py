"""Walks recorded by a watch or phone: FIT, TCX, GPX, Apple Health and Health Connect files.

`detect` tells the kind of a file by its content; one module per format reads it into
`Activity` records; `mapping` turns each into a walk, a draft or a skip; `importer` runs a file
all or nothing. The parsers are optional extras: `pip install 'tracker[devices]'`.
"""
