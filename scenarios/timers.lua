-- timers.lua: the scheduler alone, no network.
--
-- Teaches: simulated time is exact, events at the same instant run in the
-- order they were scheduled, and parameters come from -D name=value.
--
-- Look for: the tick lines, exactly one period apart.
--
-- Try: -D ticks=10 -D period=1ms
--   => ticks=10

local period = sim.param("period", "250ms")
local ticks = sim.param("ticks", 4)

local count = 0
local function tick()
  count = count + 1
  sim.log("tick " .. count .. " at " .. sim.now() .. " ns")
  if count < ticks then
    sim.after(period, tick)
  end
end

sim.at("0s", tick)
sim.at("0s", function() sim.log("scheduled second, runs second at the same instant") end)
sim.run()
sim.metric("ticks", count)
sim.expect(count == ticks, "every tick ran")
