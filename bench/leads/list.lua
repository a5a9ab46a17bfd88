-- wrk script: GET /api/leads with a filter over random pages, signed in.
--   TOKEN=… PATHS="/api/leads?status=new" MAX_PAGE=200 wrk -s list.lua http://host:port
-- Requests are prepared in init(), so wrk spends no Lua time per request.
local token = os.getenv("TOKEN") or ""
local base = os.getenv("PATHS") or "/api/leads?status=new"
local max_page = tonumber(os.getenv("MAX_PAGE") or "200")
local requests = {}
local n = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  for i = 1, 1000 do
    local page = math.random(1, max_page)
    requests[i] = wrk.format("GET", base .. "&page=" .. page, {["Authorization"] = "Bearer " .. token})
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end
