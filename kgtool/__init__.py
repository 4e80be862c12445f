"""kgtool: a sourced knowledge graph of the US military presence in Iraq, and the CLI around it."""

__version__ = "0.1.0"
