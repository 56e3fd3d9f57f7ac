// Small enhancements; every page works without them.
const LIVE_SECONDS = 15

function urlWith (changes) {
  const url = new URL(location.href)
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(key)
    else url.searchParams.set(key, value)
  }
  return url
}

function addFilter (form) {
  const bar = form.closest('[data-filters]')
  const filters = JSON.parse(bar.dataset.filters || '[]')
  const dimension = form.elements.dimension.value
  const operator = form.elements.operator.value
  const value = form.elements.value.value.trim()
  if (!value) return
  const same = filters.find(([d, o]) => d === dimension && o === operator)
  if (same) same[2] = [...new Set([...(Array.isArray(same[2]) ? same[2] : [same[2]]), value])]
  else filters.push([dimension, operator, [value]])
  location.href = urlWith({ filters: JSON.stringify(filters), offset: null })
}

async function openTimeline (details) {
  if (details.dataset.loaded) return
  details.dataset.loaded = '1'
  const slot = details.querySelector('.timeline-slot')
  try {
    const answer = await fetch(details.dataset.timeline)
    slot.innerHTML = await answer.text()
  } catch {
    slot.innerHTML = '<p class="bad">Could not load the timeline. <a href="">Reload</a></p>'
  }
}

function showStatus (profileId, status) {
  for (const dot of document.querySelectorAll('[data-status-for]')) {
    if (dot.dataset.statusFor !== profileId) continue
    dot.className = 'dot ' + status
    dot.title = status.replace('_', ' ')
  }
  for (const text of document.querySelectorAll('[data-status-text-for]')) {
    if (text.dataset.statusTextFor === profileId) text.textContent = status.replace('_', ' ')
  }
}

async function refreshStatuses () {
  const table = document.querySelector('[data-live-profiles]')
  const source = table ? table.dataset.liveProfiles : document.querySelector('.crumbs .json')?.href
  if (!source || !document.querySelector('[data-status-for]')) return
  try {
    const answer = await fetch(source, { headers: { Accept: 'application/json' } })
    if (!answer.ok) return
    const body = await answer.json()
    const rows = body.profiles || (body.profile_id ? [body] : [])
    for (const row of rows) showStatus(row.profile_id, row.status)
  } catch { /* the next round tries again */ }
}

document.addEventListener('change', (event) => {
  if (!event.target.matches('[data-autosubmit]')) return
  // A named period replaces custom dates.
  for (const input of event.target.form.querySelectorAll('input[type=date]')) input.value = ''
  event.target.form.submit()
})
document.addEventListener('submit', (event) => {
  if (event.target.matches('[data-add-filter]')) {
    event.preventDefault()
    addFilter(event.target)
  }
})
document.addEventListener('toggle', (event) => {
  if (event.target.matches('details[data-timeline]') && event.target.open) openTimeline(event.target)
}, true)
document.addEventListener('keydown', (event) => {
  if (event.key === '/' && !event.target.matches('input, select, textarea')) {
    event.preventDefault()
    document.querySelector('[data-add-filter] input')?.focus()
  }
})
setInterval(() => { if (document.visibilityState === 'visible') refreshStatuses() }, LIVE_SECONDS * 1000)
// For people poking at the page, and for tests that do not want to wait for the timer.
window.sightlineDashboard = { refreshStatuses }
