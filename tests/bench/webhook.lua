-- wrk script of `python -m tests.bench.webhook`: plaintext WeChat text pushes to /wechat.
--
-- Arguments after `--`: a file of questions (one a line) and a run number. The URL carries the
-- signature (plaintext mode signs token, timestamp and nonce, not the body). Every body is
-- unique, FromUserName and MsgId made of the run, the thread and a counter, so the bot's
-- re-delivery check never answers from a stored reply. done() prints one JSON line.

local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   questions = {}
   for line in io.lines(args[1]) do
      if line ~= "" then questions[#questions + 1] = line end
   end
   run = tonumber(args[2])
   counter, non200, success = 0, 0, 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "text/xml"
end

function request()
   counter = counter + 1
   local question = questions[(counter + id * 7919) % #questions + 1]
   local body = string.format(
      "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
      .. "<FromUserName><![CDATA[bench-%d-%d-%d]]></FromUserName>"
      .. "<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType>"
      .. "<Content><![CDATA[%s]]></Content><MsgId>1%02d%02d%09d</MsgId></xml>",
      run, id, counter, os.time(), question, run, id, counter)
   return wrk.format(nil, nil, nil, body)
end

-- A `success` body is WeChat's "no reply": for the bot, a question left unanswered.
function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
   elseif body == "success" then
      success = success + 1
   end
end

function done(summary, latency, requests)
   local bad, unanswered = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non200")
      unanswered = unanswered + thread:get("success")
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "non200": %d, "success": %d, '
      .. '"socket_errors": %d, "timeouts": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
      summary.requests, summary.duration, bad, unanswered, e.connect + e.read + e.write, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max))
end
