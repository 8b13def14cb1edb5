-- wrk script: every request asks for a random, 64 KiB aligned range of a file of `size` bytes.
local size = tonumber(os.getenv("BENCH_FILE_SIZE"))
local chunk = 65536
local slots = math.floor(size / chunk)
math.randomseed(42)

request = function()
  local first = math.random(0, slots - 1) * chunk
  wrk.headers["Range"] = "bytes=" .. first .. "-" .. (first + chunk - 1)
  return wrk.format("GET", wrk.path)
end

response = function(status, headers, body)
  if status ~= 206 then
    error("expected 206, got " .. status)
  end
end
