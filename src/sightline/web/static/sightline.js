/*! Sightline tracker 1.0.0 — no cookies, no storage, no dependencies. */
(function (window, document) {
  'use strict'
  var VERSION = '1.0.0'
  var script = document.currentScript
  var data = (script && script.dataset) || {}
  var config = null
  var profileId = null
  var lastPage = null
  var beat = null

  function flag(value) {
    return value === '' || value === 'true' || value === true
  }

  function blocked() {
    if (!config || !config.site) return true
    if (config.respectDnt && (navigator.doNotTrack === '1' || window.doNotTrack === '1')) return true
    if (config.dev) return false
    var host = location.hostname
    var local = host === 'localhost' || host === '127.0.0.1' || host === '' || host === '[::1]'
    return local || !!navigator.webdriver
  }

  function send(path, body, beacon) {
    if (blocked()) return
    body.pid = config.site
    if (profileId && !body.profileId && path !== '/hb') body.profileId = profileId
    var url = config.api + '/log' + path
    // text/plain keeps the request "simple": no CORS preflight for each event
    var payload = JSON.stringify(body)
    if (beacon && navigator.sendBeacon) {
      navigator.sendBeacon(url, new Blob([payload], { type: 'text/plain' }))
      return
    }
    fetch(url, { method: 'POST', body: payload, keepalive: true,
      headers: { 'Content-Type': 'text/plain' } }).catch(function () {})
  }

  function page() {
    var path = location.pathname
    if (!config.ignoreHash && location.hash) path += location.hash
    return path
  }

  function context() {
    var query = new URLSearchParams(location.search)
    var body = {
      pg: page(),
      lc: navigator.language,
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone
    }
    var utm = { so: 'utm_source', me: 'utm_medium', ca: 'utm_campaign', te: 'utm_term', co: 'utm_content' }
    for (var key in utm) if (query.get(utm[key])) body[key] = query.get(utm[key])
    return body
  }

  function pageview() {
    var current = page()
    if (current === lastPage) return
    var body = context()
    if (lastPage === null && document.referrer) body.ref = document.referrer
    lastPage = current
    send('', body)
  }

  function flat(meta) {
    var out = {}
    for (var key in meta || {}) {
      var value = meta[key]
      if (value !== null && value !== undefined && typeof value !== 'object') out[key] = String(value)
    }
    return out
  }

  function track(name, meta) {
    var body = context()
    body.ev = String(name)
    body.meta = flat(meta)
    send('/custom', body)
  }

  function trackError(error, filename, lineno, colno) {
    var body = context()
    body.name = (error && error.name) || 'Error'
    body.message = String((error && error.message) || error || '').slice(0, 2000)
    body.filename = String(filename || '').slice(0, 1000)
    body.lineno = lineno || 0
    body.colno = colno || 0
    body.stackTrace = String((error && error.stack) || '').slice(0, 7500)
    send('/error', body)
  }

  function trackRevenue(amount, currency, details) {
    var body = context()
    body.amount = Number(amount)
    body.currency = String(currency || '').toUpperCase()
    if (details && details.transactionId) body.transactionId = String(details.transactionId)
    if (details && details.product) body.product = String(details.product)
    send('/revenue', body)
  }

  function identify(id, traits) {
    if (id === null || id === undefined || String(id) === '') return
    profileId = String(id)
    send('/identify', { profileId: profileId, traits: flat(traits) })
  }

  function reset() {
    profileId = null
  }

  function heartbeat(beacon) {
    if (document.visibilityState === 'visible' || beacon) send('/hb', {}, beacon)
  }

  function watchNavigation() {
    ['pushState', 'replaceState'].forEach(function (name) {
      var original = history[name]
      history[name] = function () {
        var result = original.apply(this, arguments)
        setTimeout(pageview, 0)
        return result
      }
    })
    window.addEventListener('popstate', pageview)
    window.addEventListener('hashchange', function () { if (!config.ignoreHash) pageview() })
  }

  function start(options) {
    if (config) return
    options = options || {}
    config = {
      site: options.site || data.site,
      api: String(options.api || data.api || (script ? new URL(script.src).origin : '')).replace(/\/$/, ''),
      ignoreHash: flag(options.ignoreHash !== undefined ? options.ignoreHash : data.ignoreHash),
      respectDnt: flag(options.respectDnt !== undefined ? options.respectDnt : data.respectDnt),
      dev: flag(options.dev !== undefined ? options.dev : data.dev),
      heartbeatSeconds: Math.max(5, Number(options.heartbeatSeconds || data.heartbeatSeconds) || 30)
    }
    window.addEventListener('error', function (event) {
      trackError(event.error || event.message, event.filename, event.lineno, event.colno)
    })
    window.addEventListener('unhandledrejection', function (event) {
      var reason = event.reason
      trackError(reason instanceof Error ? reason : { name: 'UnhandledRejection', message: String(reason) })
    })
    window.addEventListener('pagehide', function () { heartbeat(true) })
    watchNavigation()
    pageview()
    beat = setInterval(heartbeat, config.heartbeatSeconds * 1000)
  }

  window.sightline = {
    version: VERSION,
    init: start,
    track: track,
    trackRevenue: trackRevenue,
    identify: identify,
    reset: reset,
    stop: function () { clearInterval(beat) }
  }
  if (data.site && data.manual === undefined) start()
})(window, document)
