using IoModels.Server;
using IoModels.Server.Models;

return await ServerHost.RunAsync(args, ServerModelCatalog.Create);
