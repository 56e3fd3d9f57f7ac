"""Small transactional metadata (sites, salts) in SQLite inside the data folder."""
