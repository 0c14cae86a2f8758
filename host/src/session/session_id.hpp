// The rule for agent session ids, the same whichever route an id came by (the configured request
// header or metadata.session_id): after trimming spaces and tabs at both ends, 1 to
// kMaxSessionIdBytes bytes of visible ASCII (0x21-0x7E) — so an id is safe to echo in a response
// header and to keep as a session key (no spaces inside, so a folded header line cannot smuggle
// one in), and a session's memory has a bound. The reference proxy also accepted inner spaces;
// real agent ids (UUIDs, "ses_..." tokens) have none. Called by the session stage.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vep::host {

inline constexpr size_t kMaxSessionIdBytes = 256;

// The trimmed id when `raw` follows the rule; nullopt otherwise. An all-blank `raw` gives "".
std::optional<std::string> normalize_session_id(std::string_view raw);

}  // namespace vep::host
