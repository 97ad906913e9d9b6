-- Building a large world: -D what=hosts|metrics|changes -D n=N.
-- Each used to take time quadratic in n (a scan per name, per metric,
-- per scheduled change); run by hand:
--   time build/synsim run tests/bench/scale.lua -q --out /tmp/scale \
--       -D what=hosts -D n=70000
local what = sim.param("what", "hosts")
local n = sim.param("n", 10000)
local net = sim.network{}
if what == "hosts" then
  for i = 1, n do net:host("h" .. i) end
elseif what == "metrics" then
  for i = 1, n do sim.metric("m" .. i, i) end
elseif what == "changes" then
  local a, b = net:host "a", net:host "b"
  local l = net:link(a, b, { delay = "1ms" })
  for i = 1, n do l:set(i * 1000, { delay = "2ms" }) end
end
net:run{ ["until"] = "1s" }
