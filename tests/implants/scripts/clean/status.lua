-- status.lua - clean counterpart: a LuCI-like status page helper that
-- reads /proc and runs fixed commands.
local M = {}

function M.uptime()
  local f = io.open("/proc/uptime")
  local up = f:read("*n")
  f:close()
  return up
end

function M.leases()
  local h = io.popen("cat /tmp/dhcp.leases")
  local t = h:read("*a")
  h:close()
  return t
end

return M
