"""HTTP: the tracker endpoints and, later, the dashboard and the query API."""
