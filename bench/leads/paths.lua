-- wrk script: GET requests on one path or a few, signed in.
--   TOKEN=… PATHS="/api/leads?status=new" wrk -s paths.lua http://host:port
-- PATHS: one path, or several separated by spaces (each thread draws among
-- them at random). In a path, {n} becomes a random number from 1 to MAX_N
-- (default 9,999,999), drawn anew for every request, so that "q=hiro.{n}"
-- searches for terms nobody asked before (no cached page or count) and
-- "cursor={n}" starts deep pages at random places. Paths without {n} are
-- prepared in init(), so wrk spends no Lua time per request on them.
local token = os.getenv("TOKEN") or ""
local spec = os.getenv("PATHS") or "/api/leads"
local max_n = tonumber(os.getenv("MAX_N") or "9999999")
local requests = {}
local n = 0
local paths = {}
local headers = {}
local fresh = spec:find("{n}", 1, true) ~= nil

local function make(path)
  return wrk.format("GET", (path:gsub("{n}", function() return tostring(math.random(1, max_n)) end)), headers)
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  for p in spec:gmatch("%S+") do paths[#paths + 1] = p end
  headers = {["Authorization"] = "Bearer " .. token}
  for i = 1, 2000 do requests[i] = make(paths[math.random(#paths)]) end
end

function request()
  if fresh then return make(paths[math.random(#paths)]) end
  n = n % #requests + 1
  return requests[n]
end
