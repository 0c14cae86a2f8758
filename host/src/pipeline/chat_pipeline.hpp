// ChatPipeline: one chat request from the HTTP front end to the relay. run() builds the
// ChatExchange, runs the chain's request side and opens the first attempt on the calling worker
// thread; an error up to there is answered through the ClientPort and completes the exchange at
// once; otherwise the connection and the exchange go to the RelayPump as a RelayJob, which carries
// the answer. refuse() completes a request the front end turned down before the chain (media
// type, body size, draining). Process-wide (survives reloads; each call brings its generation);
// owned by the ProxyServer, called by the chat handler.
#pragma once

#include <memory>

#include "pipeline/chat_call.hpp"
#include "relay/relay_pump.hpp"
#include "stats/proxy_stats.hpp"

namespace vep::host {

class Generation;

class ChatPipeline {
  public:
    ChatPipeline(RelayPump &relay, ProxyStats &stats) : relay_(relay), stats_(stats) {}

    void run(std::shared_ptr<const Generation> generation, ChatCall call, ClientPort &port);
    void refuse(std::shared_ptr<const Generation> generation, ChatCall call, const ProxyError &error, ClientPort &port);

  private:
    RelayPump &relay_;
    ProxyStats &stats_;
};

}  // namespace vep::host
