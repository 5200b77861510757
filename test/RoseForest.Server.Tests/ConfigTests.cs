using System.Collections;

using RoseForest.Host;

namespace RoseForest.Server.Tests;

public class ConfigTests
{
    [Fact]
    public void Settings_layer_file_then_environment_then_overrides()
    {
        using var tmp = new TempDir();
        var yaml = Path.Combine(tmp.Path, "rf.yaml");
        File.WriteAllText(yaml, "port: 7000\nhost: 0.0.0.0\napi_key: from-file\nmax_limit: 50\n");
        var options = new ServerOptions().ApplyFile(yaml).ApplyEnvironment(new Hashtable { ["ROSEFOREST_PORT"] = "7001", ["ROSEFOREST_DATA"] = "/srv/rf", ["OTHER"] = "x" });
        Assert.Equal(7001, options.Port);
        Assert.Equal("0.0.0.0", options.Host);
        Assert.Equal("/srv/rf", options.DataPath);
        Assert.Equal("from-file", options.ApiKey);
        Assert.Equal(50, options.MaxLimit);

        var json = Path.Combine(tmp.Path, "rf.json");
        File.WriteAllText(json, """{"port": 7002, "read_only_api_key": "ro"}""");
        var fromJson = new ServerOptions().ApplyFile(json);
        Assert.Equal(7002, fromJson.Port);
        Assert.Equal("ro", fromJson.ReadOnlyApiKey);
    }

    [Theory]
    [InlineData("port: 70000\n")]
    [InlineData("port: abc\n")]
    [InlineData("colour: blue\n")]
    public void Bad_settings_are_refused_naming_the_key(string yaml)
    {
        using var tmp = new TempDir();
        var file = Path.Combine(tmp.Path, "bad.yaml");
        File.WriteAllText(file, yaml);
        var e = Assert.Throws<ArgumentException>(() => new ServerOptions().ApplyFile(file));
        Assert.Contains(yaml.Split(':')[0], e.Message, StringComparison.Ordinal);
    }
}
