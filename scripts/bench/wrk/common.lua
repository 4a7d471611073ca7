-- Shared by get.lua and post.lua: counts answers per thread and prints one JSON line at the end.
-- Globals (ok, failed, reasons) are read from each thread's Lua state by done().
ok, failed, reasons, nreasons = 0, 0, {}, 0
local threads = {}

function setup(thread)
  thread:set('tid', #threads)
  table.insert(threads, thread)
end

-- A failed answer: counted, and its reason kept (the first 8 distinct reasons, then counts of those).
function fail(reason)
  failed = failed + 1
  if reasons[reason] then
    reasons[reason] = reasons[reason] + 1
  elseif nreasons < 8 then
    nreasons = nreasons + 1
    reasons[reason] = 1
  end
  local parts = {}
  for r, n in pairs(reasons) do table.insert(parts, string.format('%q:%d', r, n)) end
  failures = '{' .. table.concat(parts, ',') .. '}'
end
failures = '{}'

function done(summary, latency, requests)
  local total_ok, total_failed, merged = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get('ok')
    total_failed = total_failed + thread:get('failed')
    table.insert(merged, thread:get('failures'))
  end
  local e = summary.errors
  io.write(string.format(
    '\nWRK_RESULT {"durationUs":%d,"requests":%d,"ok":%d,"failed":%d,"errors":%d,"p50Us":%d,"p99Us":%d,"failures":[%s]}\n',
    summary.duration, summary.requests, total_ok, total_failed, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(merged, ',')))
end
