"""Carbon markets: allowance allocation, compliance, offsets."""
