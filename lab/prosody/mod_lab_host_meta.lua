-- Serves the XEP-0156 host-meta documents the lab writes into lab_host_meta_dir.
module:depends("http");

local dir = module:get_option_string("lab_host_meta_dir");

local function document(file, content_type)
	return function(event)
		local handle = assert(io.open(dir .. "/" .. file, "r"));
		local body = handle:read("*a");
		handle:close();
		event.response.headers.content_type = content_type;
		event.response.headers.access_control_allow_origin = "*";
		return body;
	end
end

module:provides("http", {
	default_path = "/.well-known";
	route = {
		["GET /host-meta"] = document("host-meta", "application/xrd+xml");
		["GET /host-meta.json"] = document("host-meta.json", "application/json");
	};
});
