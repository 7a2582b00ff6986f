"""Scenario simulation in the style of LEAP (Low Emissions Analysis Platform).

Modules here project activity, energy and emissions over model years from expressions written
per branch and scenario.  Importing the package imports nothing and configures nothing; import
the module you need.
"""
