-- A paced load: each connection waits PACE_MS (default 2) milliseconds
-- after every response, so -cN gives at most N × 1000 / PACE_MS requests/s.
local pause = tonumber(os.getenv("PACE_MS") or "2")
function delay()
  return pause
end
