-- PATCH /api/admin/users/{USER_ID}: a state-changing request that writes an audit entry.
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"name":"Bench ' .. counter .. '"}')
end
