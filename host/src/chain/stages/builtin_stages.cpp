// register_builtin_stages(): the built-in stage names. See builtin_stages.hpp.
#include "chain/stages/builtin_stages.hpp"

namespace vep::host {

void register_builtin_stages(StageRegistry &registry) {
    register_request_id_stage(registry);
    register_limits_stage(registry);
    register_parse_stage(registry);
    register_tools_stage(registry);
    register_session_stage(registry);
    register_attest_stage(registry);
    register_encrypt_stage(registry);
}

}  // namespace vep::host
