"""GHG inventory: activity × factor → gases → CO2e, by scope and category, with uncertainty."""
