// The Lua scripts of the Redis queue: each state change of a job runs as one
// script, so it is atomic and costs one round trip.
//
// Keys (all under "herald:"):
//   job:<id>                 hash: the job (fields as in Job, plus stream/entry)
//   stream:<queue>:<level>   streams of ready job ids, level 0 (priority > 0),
//                            1 (priority 0) and 2 (priority < 0); group "herald"
//   delayed:<queue>          sorted set of job ids by run_at (delays, back-off)
//   dead:<queue>             dead-letter stream: failed and dead jobs
//   unique:<key>             the job id holding a unique key
//   processed:<queue>:<min>  jobs completed in that minute (a counter)
//   workers, worker:<id>     heartbeats (sorted set by time) and worker info
//
// A delivery is identified by (stream entry, attempt number): a worker whose
// claim timed out and was taken over can no longer acknowledge the job.
#pragma once

#include <string_view>

namespace herald::jobs::scripts {

// Shared helpers, prepended to every script.
inline constexpr std::string_view kPrelude = R"lua(
local P = 'herald:'
local GROUP = 'herald'
local function level_of(priority)
  priority = tonumber(priority) or 0
  if priority > 0 then return 0 elseif priority == 0 then return 1 else return 2 end
end
local function stream_key(queue, level) return P .. 'stream:' .. queue .. ':' .. level end
-- Puts a job id on its ready stream and records where.
local function push_ready(job, id, queue, priority)
  local stream = stream_key(queue, level_of(priority))
  local entry = redis.call('XADD', stream, '*', 'id', id)
  redis.call('HSET', job, 'status', 'queued', 'stream', stream, 'entry', entry)
  return entry
end
local function drop_entry(stream, entry)
  if stream and entry and stream ~= '' and entry ~= '' then
    redis.call('XACK', stream, GROUP, entry)
    redis.call('XDEL', stream, entry)
  end
end
-- True when (entry, attempt) is the job's current delivery.
local function is_current(job, entry, attempt)
  local cur = redis.call('HMGET', job, 'status', 'entry', 'attempts')
  return cur[1] == 'running' and cur[2] == entry and cur[3] == attempt
end
local function bury(job, id, queue, status, now, err)
  local dead = redis.call('XADD', P .. 'dead:' .. queue, '*', 'id', id)
  redis.call('HSET', job, 'status', status, 'finished_at', now, 'error', err, 'dead_entry', dead, 'stream', '', 'entry', '')
  redis.call('HDEL', job, 'worker')
end
)lua";

// ARGV: now, then per job: id, queue, name, payload, priority, max_attempts,
// unique_key ('' = none), run_at → {id, created 1|0, id, created, …}
inline constexpr std::string_view kEnqueue = R"lua(
local now = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV, 8 do
  local id, queue, priority, ukey, run_at = ARGV[i], ARGV[i + 1], ARGV[i + 4], ARGV[i + 6], tonumber(ARGV[i + 7])
  local existing = false
  if ukey ~= '' then
    local e = redis.call('GET', P .. 'unique:' .. ukey)
    if e and redis.call('EXISTS', P .. 'job:' .. e) == 1 then existing = e end
  end
  if existing then
    out[#out + 1] = existing
    out[#out + 1] = 0
  else
    if ukey ~= '' then redis.call('SET', P .. 'unique:' .. ukey, id) end
    local job = P .. 'job:' .. id
    local status, stream, entry = 'scheduled', '', ''
    if run_at > now then
      redis.call('ZADD', P .. 'delayed:' .. queue, run_at, id)
    else
      status = 'queued'
      stream = stream_key(queue, level_of(priority))
      entry = redis.call('XADD', stream, '*', 'id', id)
    end
    redis.call('HSET', job, 'id', id, 'queue', queue, 'name', ARGV[i + 2], 'payload', ARGV[i + 3],
      'priority', priority, 'attempts', 0, 'max_attempts', ARGV[i + 5], 'unique_key', ukey,
      'run_at', ARGV[i + 7], 'created_at', ARGV[1], 'progress', 0, 'cancel', 0, 'status', status,
      'stream', stream, 'entry', entry)
    out[#out + 1] = id
    out[#out + 1] = 1
  end
end
return out
)lua";

// ARGV: consumer, now, visibility_ms, max, take_over (1|0), queue...
// Makes due delayed jobs ready, takes over deliveries idle past the
// visibility timeout (when take_over), then reads new entries by level.
// → list of flattened job hashes (HGETALL)
inline constexpr std::string_view kClaim = R"lua(
local consumer, now, vis, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local take_over = ARGV[5] == '1'
local queues = {}
for i = 6, #ARGV do queues[#queues + 1] = ARGV[i] end
local out = {}

local function deliver(stream, entry, fields, reclaimed)
  if not fields then return end  -- deleted while pending
  local id = fields[2]
  local job = P .. 'job:' .. id
  local cur = redis.call('HMGET', job, 'status', 'entry', 'attempts', 'max_attempts', 'queue')
  local stale = cur[2] ~= entry or not (cur[1] == 'queued' or (reclaimed and cur[1] == 'running'))
  if stale then drop_entry(stream, entry) return end
  if reclaimed and tonumber(cur[3]) >= tonumber(cur[4]) then
    drop_entry(stream, entry)
    bury(job, id, cur[5], 'dead', now, 'the worker stopped responding (visibility timeout)')
    return
  end
  redis.call('HINCRBY', job, 'attempts', 1)
  redis.call('HSET', job, 'status', 'running', 'worker', consumer, 'started_at', now)
  out[#out + 1] = redis.call('HGETALL', job)
end

local function read_group(stream, count)
  local ok, res = pcall(redis.call, 'XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', stream, '>')
  if not ok then
    redis.call('XGROUP', 'CREATE', stream, GROUP, '0', 'MKSTREAM')
    res = redis.call('XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', stream, '>')
  end
  return res
end

for _, q in ipairs(queues) do
  local delayed = P .. 'delayed:' .. q
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do
    redis.call('ZREM', delayed, id)
    local job = P .. 'job:' .. id
    local cur = redis.call('HMGET', job, 'status', 'priority')
    if cur[1] == 'scheduled' then push_ready(job, id, q, cur[2]) end
  end
end

if take_over then
  for level = 0, 2 do
    for _, q in ipairs(queues) do
      if #out >= max then break end
      local stream = stream_key(q, level)
      local ok, res = pcall(redis.call, 'XAUTOCLAIM', stream, GROUP, consumer, vis, '0-0', 'COUNT', max - #out)
      if ok then
        for _, e in ipairs(res[2]) do deliver(stream, e[1], e[2], true) end
      end
    end
  end
end

for level = 0, 2 do
  for _, q in ipairs(queues) do
    if #out >= max then break end
    local stream = stream_key(q, level)
    local res = read_group(stream, max - #out)
    if res then
      for _, e in ipairs(res[1][2]) do deliver(stream, e[1], e[2], false) end
    end
  end
end
return out
)lua";

// ARGV: now, retention_s, minute, then per job: id, stream, entry, attempt,
// result ('' = none), queue, unique_key. Acknowledges a batch of deliveries
// (one XACK and XDEL per stream); → how many were still current.
inline constexpr std::string_view kComplete = R"lua(
local now, retention, minute = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local acks, counts, done = {}, {}, 0
for i = 4, #ARGV, 7 do
  local id, stream, entry, attempt = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local queue, ukey = ARGV[i + 5], ARGV[i + 6]
  if stream ~= '' then
    acks[stream] = acks[stream] or {}
    table.insert(acks[stream], entry)
  end
  local job = P .. 'job:' .. id
  if is_current(job, entry, attempt) then
    redis.call('HSET', job, 'status', 'completed', 'finished_at', now, 'progress', 100, 'result', ARGV[i + 4],
      'stream', '', 'entry', '', 'worker', '')
    redis.call('EXPIRE', job, retention)
    if ukey ~= '' then redis.call('EXPIRE', P .. 'unique:' .. ukey, retention) end
    counts[queue] = (counts[queue] or 0) + 1
    done = done + 1
  end
end
for stream, entries in pairs(acks) do
  redis.call('XACK', stream, GROUP, unpack(entries))
  redis.call('XDEL', stream, unpack(entries))
end
for queue, n in pairs(counts) do
  local counter = P .. 'processed:' .. queue .. ':' .. minute
  redis.call('INCRBY', counter, n)
  redis.call('EXPIRE', counter, 180)
end
return done
)lua";

// ARGV: id, stream, entry, attempt, now, error, retry_at ('' = bury), bury status
inline constexpr std::string_view kFail = R"lua(
local id, stream, entry = ARGV[1], ARGV[2], ARGV[3]
local job = P .. 'job:' .. id
drop_entry(stream, entry)
if not is_current(job, entry, ARGV[4]) then return 0 end
local queue = redis.call('HGET', job, 'queue')
if ARGV[7] ~= '' then
  redis.call('HSET', job, 'status', 'scheduled', 'error', ARGV[6], 'run_at', ARGV[7], 'stream', '', 'entry', '')
  redis.call('HDEL', job, 'worker')
  redis.call('ZADD', P .. 'delayed:' .. queue, tonumber(ARGV[7]), id)
else
  bury(job, id, queue, ARGV[8], ARGV[5], ARGV[6])
end
return 1
)lua";

// ARGV: id, stream, entry, attempt — back to the queue; the attempt does not count.
inline constexpr std::string_view kRelease = R"lua(
local id, stream, entry = ARGV[1], ARGV[2], ARGV[3]
local job = P .. 'job:' .. id
drop_entry(stream, entry)
if not is_current(job, entry, ARGV[4]) then return 0 end
redis.call('HINCRBY', job, 'attempts', -1)
redis.call('HDEL', job, 'worker', 'started_at')
local cur = redis.call('HMGET', job, 'queue', 'priority')
push_ready(job, id, cur[1], cur[2])
return 1
)lua";

// ARGV: id, stream, entry, attempt, now, retention_s — the handler stopped on request.
inline constexpr std::string_view kMarkCancelled = R"lua(
local id, stream, entry = ARGV[1], ARGV[2], ARGV[3]
local job = P .. 'job:' .. id
drop_entry(stream, entry)
if not is_current(job, entry, ARGV[4]) then return 0 end
redis.call('HSET', job, 'status', 'cancelled', 'finished_at', ARGV[5], 'stream', '', 'entry', '')
redis.call('HDEL', job, 'worker')
redis.call('EXPIRE', job, tonumber(ARGV[6]))
return 1
)lua";

// ARGV: id, now, retention_s → -1 unknown, 0 already finished, 1 cancelled or requested
inline constexpr std::string_view kCancel = R"lua(
local id = ARGV[1]
local job = P .. 'job:' .. id
local cur = redis.call('HMGET', job, 'status', 'queue', 'stream', 'entry')
if not cur[1] then return -1 end
if cur[1] == 'queued' or cur[1] == 'scheduled' then
  if cur[1] == 'queued' then redis.call('XDEL', cur[3], cur[4]) end
  redis.call('ZREM', P .. 'delayed:' .. cur[2], id)
  redis.call('HSET', job, 'status', 'cancelled', 'finished_at', ARGV[2], 'stream', '', 'entry', '')
  redis.call('EXPIRE', job, tonumber(ARGV[3]))
  return 1
end
if cur[1] == 'running' then
  redis.call('HSET', job, 'cancel', 1)
  return 1
end
return 0
)lua";

// ARGV: consumer, then (id, stream, entry, attempt) per in-flight job.
// Extends the claims this consumer still holds; → ids with a cancel request.
inline constexpr std::string_view kHeartbeat = R"lua(
local consumer = ARGV[1]
local cancelled = {}
for i = 2, #ARGV, 4 do
  local id, stream, entry, attempt = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local job = P .. 'job:' .. id
  local cur = redis.call('HMGET', job, 'status', 'entry', 'attempts', 'worker', 'cancel')
  if cur[1] == 'running' and cur[2] == entry and cur[3] == attempt and cur[4] == consumer then
    redis.call('XCLAIM', stream, GROUP, consumer, 0, entry, 'JUSTID')
    if cur[5] == '1' then cancelled[#cancelled + 1] = id end
  end
end
return cancelled
)lua";

// ARGV: id, queue, now → 1 when the dead letter went back to the queue
inline constexpr std::string_view kRetry = R"lua(
local id, queue = ARGV[1], ARGV[2]
local job = P .. 'job:' .. id
local cur = redis.call('HMGET', job, 'status', 'queue', 'dead_entry', 'priority')
if cur[2] ~= queue or not (cur[1] == 'failed' or cur[1] == 'dead') then return 0 end
if cur[3] then redis.call('XDEL', P .. 'dead:' .. queue, cur[3]) end
redis.call('HSET', job, 'attempts', 0, 'cancel', 0, 'run_at', ARGV[3])
redis.call('HDEL', job, 'finished_at', 'dead_entry')
push_ready(job, id, queue, cur[4])
return 1
)lua";

// ARGV: queue → {pending, scheduled, active, failed, oldest ready entry id or ''}
inline constexpr std::string_view kStats = R"lua(
local queue = ARGV[1]
local pending, active, oldest = 0, 0, ''
for level = 0, 2 do
  local stream = stream_key(queue, level)
  local len = redis.call('XLEN', stream)
  if len > 0 then
    local ok, groups = pcall(redis.call, 'XINFO', 'GROUPS', stream)
    local in_pel, last = 0, '0-0'
    if ok and groups[1] then
      for i = 1, #groups[1], 2 do
        if groups[1][i] == 'pending' then in_pel = groups[1][i + 1] end
        if groups[1][i] == 'last-delivered-id' then last = groups[1][i + 1] end
      end
    end
    active = active + in_pel
    pending = pending + (len - in_pel)
    local next_entry = redis.call('XRANGE', stream, '(' .. last, '+', 'COUNT', 1)
    if next_entry[1] then
      local id = next_entry[1][1]
      if oldest == '' or tonumber(string.match(id, '^(%d+)')) < tonumber(string.match(oldest, '^(%d+)')) then
        oldest = id
      end
    end
  end
end
return {pending, redis.call('ZCARD', P .. 'delayed:' .. queue), active, redis.call('XLEN', P .. 'dead:' .. queue), oldest}
)lua";

}  // namespace herald::jobs::scripts
