"""Analyses of quantities over time, such as the index decomposition of a change (LMDI).

Engines here take tidy pandas frames and plain numbers; they never read files or touch the store.
Importing the package imports nothing and configures nothing; import the module you need.
"""
