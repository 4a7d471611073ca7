-- wrk script for W1 (WORKLOADS.md): every request a distinct commenter. args: tag, address space (0-48),
-- first request number, directory for the ids answered 201 (one file per thread), number of threads.
-- Ok is 201 with a comment id and status pending; the ids are counted against the database afterwards.
package.path = debug.getinfo(1, 'S').source:match('^@(.*/)') .. '?.lua;' .. package.path
require('common')

local WORDS = {}
for w in ([[the a this that article point good great idea think agree disagree really very much more less about
reading thanks author post example story data chart number result question answer reason because maybe
perhaps clear interesting useful helpful detail section part first second last next year week today city
river garden kitchen music book film school team project plan change update note method model value small
large quick slow early late simple careful honest fair open quiet bright warm cold green blue paper table
window street market bridge train coffee bread letter picture travel summer winter morning evening history]]):gmatch('%S+') do
  table.insert(WORDS, w)
end
local NAMES = { 'Ada', 'Ben', 'Cleo', 'Dev', 'Eve', 'Finn', 'Gia', 'Hugo', 'Ines', 'Jon', 'Kai', 'Lena', 'Milo', 'Nora',
  'Otto', 'Pia', 'Quinn', 'Rosa', 'Sam', 'Tess', 'Uma', 'Vic', 'Wren', 'Xavi', 'Yara', 'Zed' }
local DOMAINS = { 'example.com', 'example.org', 'example.net', 'mail.example' }
local AGENTS = {
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
}

local tag, space, first, threads, out
local n = 0

function init(args)
  tag, space, first, threads = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[5])
  out = assert(io.open(args[4] .. '/ids-' .. tid .. '.txt', 'w'))
  math.randomseed(1000 + space * 64 + tid)
end

function request()
  local i = first + n * threads + tid
  n = n + 1
  -- A /24 of its own for every request, as clientIp() in data.ts.
  local a = 11 + (space % 49) * 4 + (math.floor(i / 65536) % 4)
  local ip = a .. '.' .. (math.floor(i / 256) % 256) .. '.' .. (i % 256) .. '.' .. (1 + i % 250)
  local words = {}
  for k = 1, 12 + math.random(0, 24) do words[k] = WORDS[math.random(#WORDS)] end
  local text = table.concat(words, ' ')
  text = text:sub(1, 1):upper() .. text:sub(2) .. '.'
  local r = math.random(0, 26 * 5000 - 1)
  local author = NAMES[r % 26 + 1] .. ' ' .. (math.floor(r / 26) % 5000)
  local body = '{"article":"/bench/w1/' .. tag .. '/a' .. (i % 50) .. '","author":"' .. author ..
    '","email":"w1-' .. tag .. '.' .. i .. '@' .. DOMAINS[i % 4 + 1] .. '","content":"' .. text .. '"}'
  return wrk.format('POST', '/api/comments',
    { ['Content-Type'] = 'application/json', ['X-Forwarded-For'] = ip, ['User-Agent'] = AGENTS[i % 4 + 1] }, body)
end

function response(status, headers, body)
  if status ~= 201 then return fail('status ' .. status) end
  local id = body:match('^{"comment":{"id":"(%d+)"')
  if not id then return fail('no comment id') end
  if not body:find('"status":"pending"}', 1, true) then return fail('comment status not pending') end
  ok = ok + 1
  out:write(id, '\n')
end
