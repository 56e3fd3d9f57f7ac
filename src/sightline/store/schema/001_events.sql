-- Every pageview, custom event, error and revenue step, one row each, never updated.
CREATE TABLE IF NOT EXISTS events
(
    site LowCardinality(String),
    seq UInt64,
    time DateTime64(3, 'UTC'),
    kind Enum8('pageview' = 1, 'custom' = 2, 'error' = 3, 'revenue' = 4),
    profile_id String,
    session_id UInt64,
    page String,
    name String,
    meta Map(String, String),
    message String,
    filename String,
    lineno UInt32,
    colno UInt32,
    stack String,
    amount Float64,
    currency LowCardinality(String),
    transaction_id String,
    product String,
    referrer String,
    source LowCardinality(String),
    utm_source LowCardinality(String),
    utm_medium LowCardinality(String),
    utm_campaign LowCardinality(String),
    utm_term String,
    utm_content String,
    query String,
    locale LowCardinality(String),
    browser_timezone LowCardinality(String),
    country LowCardinality(String),
    region LowCardinality(String),
    city LowCardinality(String),
    browser LowCardinality(String),
    browser_version LowCardinality(String),
    os LowCardinality(String),
    os_version LowCardinality(String),
    device LowCardinality(String),
    perf Map(String, Float32),
    INDEX idx_profile profile_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
-- One session's events are one narrow range: timelines and a profile's history read little.
-- Period queries prune by the monthly partitions.
ORDER BY (site, session_id, time);

-- One row per state of a session; the newest version of each session is the current one.
CREATE TABLE IF NOT EXISTS sessions
(
    site LowCardinality(String),
    session_id UInt64,
    version UInt64,
    visitor UInt64,
    profile_id String,
    start DateTime64(3, 'UTC'),
    last_activity DateTime64(3, 'UTC'),
    entry_page String,
    exit_page String,
    pageviews UInt32,
    custom_events UInt32,
    errors UInt32,
    revenue Map(LowCardinality(String), Float64),  -- currency -> amount
    revenue_events UInt32,
    referrer String,
    source LowCardinality(String),
    utm_source LowCardinality(String),
    utm_medium LowCardinality(String),
    utm_campaign LowCardinality(String),
    utm_term String,
    utm_content String,
    country LowCardinality(String),
    region LowCardinality(String),
    city LowCardinality(String),
    browser LowCardinality(String),
    browser_version LowCardinality(String),
    os LowCardinality(String),
    os_version LowCardinality(String),
    device LowCardinality(String),
    INDEX idx_profile profile_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_session session_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(start)
ORDER BY (site, toDate(start), session_id);

-- Anonymous profile -> identified profile; the earliest link (lowest seq) wins at read time.
CREATE TABLE IF NOT EXISTS aliases
(
    site LowCardinality(String),
    anon_id String,
    profile_id String,
    time DateTime64(3, 'UTC'),
    seq UInt64,
    INDEX idx_profile profile_id TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree
ORDER BY (site, anon_id, seq);

-- Traits sent with each identification; newer values of a key replace older ones at read time.
CREATE TABLE IF NOT EXISTS traits
(
    site LowCardinality(String),
    profile_id String,
    traits Map(String, String),
    time DateTime64(3, 'UTC'),
    seq UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY (site, profile_id, seq);
