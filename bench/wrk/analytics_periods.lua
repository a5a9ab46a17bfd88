-- A different period per request: PERIOD_PATH (an analytics URL path with
-- its query, e.g. /api/analytics/timeseries?metric=opened&interval=day)
-- plus from/to as dates in 2026, from 30 to 365 days long, chosen at random
-- (seeded per thread), so answers kept from an earlier request rarely fit.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local base = os.getenv("PERIOD_PATH")
local sep = base:find("?", 1, true) and "&" or "?"
local start = 1767225600  -- 2026-01-01T00:00:00Z
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  math.randomseed(os.time() * 16 + (seed or 0))
end

local function date(days)
  return os.date("!%Y-%m-%d", start + days * 86400)
end

function request()
  local length = math.random(30, 365)
  local from = math.random(0, 365 - length)
  return wrk.format(nil, base .. sep .. "from=" .. date(from) .. "&to=" .. date(from + length))
end
