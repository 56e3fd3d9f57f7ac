"""Everything between a tracker's HTTP request and a durable row in the store."""
