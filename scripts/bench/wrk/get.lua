-- wrk script for W2/W3: every answer must be 200 with the reference body (args[1], a file), except for the
-- value of "formToken", which changes every second. The reference passed the workload's full check first.
package.path = debug.getinfo(1, 'S').source:match('^@(.*/)') .. '?.lua;' .. package.path
require('common')

local head, tail, whole

function init(args)
  local file = assert(io.open(args[1], 'rb'))
  local reference = file:read('*a')
  file:close()
  local s, e = reference:find('"formToken":"[^"]*"')
  if s then
    head, tail = reference:sub(1, s - 1), reference:sub(e + 1)
  else
    whole = reference
  end
end

function response(status, headers, body)
  if status ~= 200 then return fail('status ' .. status) end
  if whole then
    if body == whole then ok = ok + 1 else fail('body differs from the reference') end
    return
  end
  local n = #body
  if n >= #head + #tail and body:sub(1, #head) == head and body:sub(n - #tail + 1) == tail
    and body:sub(#head + 1, n - #tail):match('^"formToken":"[^"]*"$') then
    ok = ok + 1
  else
    fail('body differs from the reference')
  end
end
