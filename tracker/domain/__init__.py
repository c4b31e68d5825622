"""Rules, figures and sentences: what a walk, a trend, a red flag or a report is. Imports
nothing of Textual, typer or the storage layer (an import contract checks it)."""
