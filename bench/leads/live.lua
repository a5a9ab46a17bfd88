-- wrk script: GET /api/leads as people use it while the data changes.
--   TOKEN=… wrk -s live.lua http://host:port
-- 70% filtered first pages, 20% `q` searches, 10% deep pages (page 2-400 of
-- a filter: offsets up to 20,000), drawn at random from the lists below over
-- the data of bench/leads/gen_leads.py. SEARCHES (a file, one term a line)
-- replaces the built-in search terms. Requests are prepared in init(), so
-- wrk spends no Lua time per request; each thread draws its own order.
local token = os.getenv("TOKEN") or ""
local requests = {}
local n = 0

local statuses = {"new", "contacted", "replied", "interested", "not_interested", "converted", "unsubscribed",
                  "bounced"}
-- First pages: kept totals (status, tag, none) and counted ones (country, status with a tag or country).
local first_pages = {"", "status=new", "status=contacted", "status=replied", "status=interested",
                     "status=not_interested", "status=converted", "status=unsubscribed", "status=bounced",
                     "status=new,contacted", "tag=vip", "tag=2026", "country=DE", "country=JP",
                     "status=new&tag=vip", "status=replied&country=FR",
                     "cf.industry=saas"}
-- Names, companies, domains, and pieces of addresses (the generator numbers them).
local searches = {"müller", "nakamura", "chloé", "globex", "initech", "wonka", "stark", "o'brien", "van dijk",
                  "example.org", "mail.example", "priya", "dmitri", "ximena", "kowalski", "haddad"}

local function load_searches(path)
  local f = io.open(path, "r")
  if not f then return end
  searches = {}
  for line in f:lines() do
    if line ~= "" then searches[#searches + 1] = line end
  end
  f:close()
end

local function escape(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  if os.getenv("SEARCHES") then load_searches(os.getenv("SEARCHES")) end
  local firsts = {"ann", "bob", "eva", "hiro", "ines", "kofi", "lena", "nora", "omar", "sven", "tara", "wei"}
  for _ = 1, 40 do
    -- "hiro.4242": one person's address, typed partly
    searches[#searches + 1] = firsts[math.random(#firsts)] .. "." .. math.random(1, 99999)
  end
  local headers = {["Authorization"] = "Bearer " .. token}
  for i = 1, 2000 do
    local r = math.random(100)
    local path
    if r <= 70 then
      path = "/api/leads?" .. first_pages[math.random(#first_pages)]
    elseif r <= 90 then
      path = "/api/leads?q=" .. escape(searches[math.random(#searches)])
    else
      local filter = math.random(3) == 1 and "" or ("status=" .. statuses[math.random(#statuses)] .. "&")
      path = "/api/leads?" .. filter .. "page=" .. math.random(2, 400)
    end
    requests[i] = wrk.format("GET", path, headers)
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end
