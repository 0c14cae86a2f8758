// [models."<glob>"] mode and e2ee.require_e2ee: glob matching, which model is tee-only, and the
// load-time refusal of "tee-only" while require_e2ee is true (the default).
#include <gtest/gtest.h>

#include "config/model_modes.hpp"
#include "config_test_support.hpp"
#include "vep/text.hpp"

namespace vep::host {
namespace {

using testing::text_error;

bool insensitive(std::string_view glob, std::string_view model) {
    return glob_match(glob, model, GlobCase::AsciiInsensitive);
}

TEST(ModelModes, GlobsMatchWholeIdsCaseInsensitively) {
    EXPECT_TRUE(insensitive("e2ee-glm-5-2-p", "e2ee-glm-5-2-p"));
    EXPECT_TRUE(insensitive("E2EE-GLM-*", "e2ee-glm-5-2-p"));
    EXPECT_TRUE(insensitive("*glm*", "e2ee-glm-5-2-p"));
    EXPECT_TRUE(insensitive("e2ee-glm-?-?-p", "e2ee-glm-5-2-p"));
    EXPECT_TRUE(insensitive("*", ""));
    EXPECT_FALSE(insensitive("e2ee-glm", "e2ee-glm-5-2-p"));
    EXPECT_FALSE(insensitive("glm*", "e2ee-glm-5-2-p"));
    EXPECT_FALSE(insensitive("e2ee-glm-?-p", "e2ee-glm-5-2-p"));
    EXPECT_FALSE(insensitive("*-q", "e2ee-glm-5-2-p"));
}

TEST(ModelModes, OnlyAConfiguredModelIsTeeOnlyAndNeverWhileE2eeIsRequired) {
    Config c;
    c.e2ee.require_e2ee = false;
    c.models["e2ee-glm-*"] = R"({"mode":"tee-only"})";
    EXPECT_EQ(model_mode(c, "e2ee-glm-5-2-p"), ModelMode::TeeOnly);
    EXPECT_EQ(model_mode(c, "e2ee-qwen3-235b-a22b-p"), ModelMode::E2ee);
    c.models["*-5-2-p"] = R"({"mode":"e2ee"})";
    EXPECT_EQ(model_mode(c, "e2ee-glm-5-2-p"), ModelMode::E2ee) << "an e2ee table wins over a tee-only one";
    EXPECT_EQ(model_mode(c, "e2ee-glm-4-7-flash-p"), ModelMode::TeeOnly);
    c.e2ee.require_e2ee = true;
    EXPECT_EQ(model_mode(c, "e2ee-glm-4-7-flash-p"), ModelMode::E2ee);
    EXPECT_EQ(model_mode(Config{}, "e2ee-glm-4-7-flash-p"), ModelMode::E2ee);
}

TEST(ModelModes, TheFileSelectsTeeOnlyOnlyWithRequireE2eeOff) {
    const Config c = load_config_text(
        "[e2ee]\nrequire_e2ee = false\n[models.\"e2ee-glm-*\"]\nmode = \"tee-only\"\n[models.\"*qwen*\"]\nmode = \"e2ee\"\n",
        "t.toml", {});
    EXPECT_FALSE(c.e2ee.require_e2ee);
    EXPECT_EQ(model_mode(c, "e2ee-glm-5-2-p"), ModelMode::TeeOnly);
    EXPECT_EQ(model_mode(c, "e2ee-qwen3-235b-a22b-p"), ModelMode::E2ee);
}

TEST(ModelModes, RequireE2eeRefusesTeeOnlyAtLoad) {
    EXPECT_EQ(text_error("[models.\"e2ee-glm-*\"]\nmode = \"tee-only\"\n"),
              "t.toml:2:8: invalid config value for models.e2ee-glm-*.mode: \"tee-only\" sends this model's messages "
              "to Venice without E2EE and is refused while e2ee.require_e2ee = true (set e2ee.require_e2ee = false "
              "to allow it)");
    EXPECT_EQ(text_error("[e2ee]\nrequire_e2ee = true\n[models.\"x\"]\nmode = \"tee-only\"\n"),
              "t.toml:4:8: invalid config value for models.x.mode: \"tee-only\" sends this model's messages to Venice "
              "without E2EE and is refused while e2ee.require_e2ee = true (set e2ee.require_e2ee = false to allow it)");
}

TEST(ModelModes, ModelTablesTakeOnlyAKnownMode) {
    EXPECT_EQ(text_error("[e2ee]\nrequire_e2ee = false\n[models.\"x\"]\nmode = \"plain\"\n"),
              "t.toml:4:8: invalid config value for models.x.mode: must be \"e2ee\" or \"tee-only\"");
    EXPECT_EQ(text_error("[e2ee]\nrequire_e2ee = false\n[models.\"x\"]\nmode = \"e2ee\"\nlevel = 1\n"),
              "t.toml:5:9: invalid config value for models.x.level: unknown key; a [models] table takes only mode");
    EXPECT_NE(text_error("[models.\"x\"]\n").find("models.x: missing key \"mode\""), std::string::npos);
}

}  // namespace
}  // namespace vep::host
