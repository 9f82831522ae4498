namespace ChannelAccounts.Sdk.EarlyBound;

/// <summary>The Status of a WhatsApp account (statecode).</summary>
public enum msdyn_ocwhatsappchannelaccount_statecode
{
    Active = 0,
    Inactive = 1,
}

/// <summary>The Status Reason of a WhatsApp account (statuscode).</summary>
public enum msdyn_ocwhatsappchannelaccount_statuscode
{
    Active = 1,
    Inactive = 2,
}

/// <summary>
/// The WhatsApp account table, early bound (as CrmSvcUtil / pac modelbuilder would generate it): one typed property
/// per column of the table definition over the same Attributes collection, so it is an Entity to every message.
/// </summary>
[EntityLogicalName(EntityLogicalName)]
public sealed class msdyn_ocwhatsappchannelaccount : Entity
{
    public const string EntityLogicalName = "msdyn_ocwhatsappchannelaccount";

    public const string EntitySetName = "msdyn_ocwhatsappchannelaccounts";

    public msdyn_ocwhatsappchannelaccount() : base(EntityLogicalName) { }

    public msdyn_ocwhatsappchannelaccount(Guid id) : base(EntityLogicalName, id) { }

    /// <summary>A typed copy of a late-bound record of this table.</summary>
    public msdyn_ocwhatsappchannelaccount(Entity entity) : this() => entity.CopyTo(this);

    /// <summary>Import Sequence Number.</summary>
    [AttributeLogicalName("importsequencenumber")]
    public int? importsequencenumber { get => GetAttributeValue<int?>("importsequencenumber"); set => SetAttributeValue("importsequencenumber", value); }

    /// <summary>Auth token.</summary>
    [AttributeLogicalName("msdyn_authenticationtoken")]
    public string? msdyn_authenticationtoken { get => GetAttributeValue<string?>("msdyn_authenticationtoken"); set => SetAttributeValue("msdyn_authenticationtoken", value); }

    /// <summary>Name.</summary>
    [AttributeLogicalName("msdyn_name")]
    public string? msdyn_name { get => GetAttributeValue<string?>("msdyn_name"); set => SetAttributeValue("msdyn_name", value); }

    /// <summary>WhatsApp Account.</summary>
    [AttributeLogicalName("msdyn_ocwhatsappchannelaccountid")]
    public Guid? msdyn_ocwhatsappchannelaccountid
    {
        get => GetAttributeValue<Guid?>("msdyn_ocwhatsappchannelaccountid");
        set
        {
            SetAttributeValue("msdyn_ocwhatsappchannelaccountid", value);
            Id = value ?? Guid.Empty;
        }
    }

    /// <summary>Account SID.</summary>
    [AttributeLogicalName("msdyn_provideraccountid")]
    public string? msdyn_provideraccountid { get => GetAttributeValue<string?>("msdyn_provideraccountid"); set => SetAttributeValue("msdyn_provideraccountid", value); }

    /// <summary>OC Auth token.</summary>
    [AttributeLogicalName("msdyn_secureauthenticationtoken")]
    public string? msdyn_secureauthenticationtoken { get => GetAttributeValue<string?>("msdyn_secureauthenticationtoken"); set => SetAttributeValue("msdyn_secureauthenticationtoken", value); }

    /// <summary>Twilio inbound URL.</summary>
    [AttributeLogicalName("msdyn_twilioinboundurl")]
    public string? msdyn_twilioinboundurl { get => GetAttributeValue<string?>("msdyn_twilioinboundurl"); set => SetAttributeValue("msdyn_twilioinboundurl", value); }

    /// <summary>Record Created On.</summary>
    [AttributeLogicalName("overriddencreatedon")]
    public DateTime? overriddencreatedon { get => GetAttributeValue<DateTime?>("overriddencreatedon"); set => SetAttributeValue("overriddencreatedon", value); }

    /// <summary>Owner.</summary>
    [AttributeLogicalName("ownerid")]
    public EntityReference? ownerid { get => GetAttributeValue<EntityReference?>("ownerid"); set => SetAttributeValue("ownerid", value); }

    /// <summary>owneridtype.</summary>
    [AttributeLogicalName("owneridtype")]
    public string? owneridtype { get => GetAttributeValue<string?>("owneridtype"); set => SetAttributeValue("owneridtype", value); }

    /// <summary>Status.</summary>
    [AttributeLogicalName("statecode")]
    public msdyn_ocwhatsappchannelaccount_statecode? statecode
    {
        get => GetAttributeValue<OptionSetValue>("statecode") is { } v ? (msdyn_ocwhatsappchannelaccount_statecode)v.Value : null;
        set => SetAttributeValue("statecode", value is { } v ? new OptionSetValue((int)v) : null);
    }

    /// <summary>Status Reason.</summary>
    [AttributeLogicalName("statuscode")]
    public msdyn_ocwhatsappchannelaccount_statuscode? statuscode
    {
        get => GetAttributeValue<OptionSetValue>("statuscode") is { } v ? (msdyn_ocwhatsappchannelaccount_statuscode)v.Value : null;
        set => SetAttributeValue("statuscode", value is { } v ? new OptionSetValue((int)v) : null);
    }

    /// <summary>Time Zone Rule Version Number.</summary>
    [AttributeLogicalName("timezoneruleversionnumber")]
    public int? timezoneruleversionnumber { get => GetAttributeValue<int?>("timezoneruleversionnumber"); set => SetAttributeValue("timezoneruleversionnumber", value); }

    /// <summary>UTC Conversion Time Zone Code.</summary>
    [AttributeLogicalName("utcconversiontimezonecode")]
    public int? utcconversiontimezonecode { get => GetAttributeValue<int?>("utcconversiontimezonecode"); set => SetAttributeValue("utcconversiontimezonecode", value); }

    /// <summary>Created By.</summary>
    [AttributeLogicalName("createdby")]
    public EntityReference? createdby { get => GetAttributeValue<EntityReference?>("createdby"); set => SetAttributeValue("createdby", value); }

    /// <summary>createdbyname.</summary>
    [AttributeLogicalName("createdbyname")]
    public string? createdbyname { get => GetAttributeValue<string?>("createdbyname"); set => SetAttributeValue("createdbyname", value); }

    /// <summary>createdbyyominame.</summary>
    [AttributeLogicalName("createdbyyominame")]
    public string? createdbyyominame { get => GetAttributeValue<string?>("createdbyyominame"); set => SetAttributeValue("createdbyyominame", value); }

    /// <summary>Created On.</summary>
    [AttributeLogicalName("createdon")]
    public DateTime? createdon { get => GetAttributeValue<DateTime?>("createdon"); set => SetAttributeValue("createdon", value); }

    /// <summary>Created By (Delegate).</summary>
    [AttributeLogicalName("createdonbehalfby")]
    public EntityReference? createdonbehalfby { get => GetAttributeValue<EntityReference?>("createdonbehalfby"); set => SetAttributeValue("createdonbehalfby", value); }

    /// <summary>createdonbehalfbyname.</summary>
    [AttributeLogicalName("createdonbehalfbyname")]
    public string? createdonbehalfbyname { get => GetAttributeValue<string?>("createdonbehalfbyname"); set => SetAttributeValue("createdonbehalfbyname", value); }

    /// <summary>createdonbehalfbyyominame.</summary>
    [AttributeLogicalName("createdonbehalfbyyominame")]
    public string? createdonbehalfbyyominame { get => GetAttributeValue<string?>("createdonbehalfbyyominame"); set => SetAttributeValue("createdonbehalfbyyominame", value); }

    /// <summary>Modified By.</summary>
    [AttributeLogicalName("modifiedby")]
    public EntityReference? modifiedby { get => GetAttributeValue<EntityReference?>("modifiedby"); set => SetAttributeValue("modifiedby", value); }

    /// <summary>modifiedbyname.</summary>
    [AttributeLogicalName("modifiedbyname")]
    public string? modifiedbyname { get => GetAttributeValue<string?>("modifiedbyname"); set => SetAttributeValue("modifiedbyname", value); }

    /// <summary>modifiedbyyominame.</summary>
    [AttributeLogicalName("modifiedbyyominame")]
    public string? modifiedbyyominame { get => GetAttributeValue<string?>("modifiedbyyominame"); set => SetAttributeValue("modifiedbyyominame", value); }

    /// <summary>Modified On.</summary>
    [AttributeLogicalName("modifiedon")]
    public DateTime? modifiedon { get => GetAttributeValue<DateTime?>("modifiedon"); set => SetAttributeValue("modifiedon", value); }

    /// <summary>Modified By (Delegate).</summary>
    [AttributeLogicalName("modifiedonbehalfby")]
    public EntityReference? modifiedonbehalfby { get => GetAttributeValue<EntityReference?>("modifiedonbehalfby"); set => SetAttributeValue("modifiedonbehalfby", value); }

    /// <summary>modifiedonbehalfbyname.</summary>
    [AttributeLogicalName("modifiedonbehalfbyname")]
    public string? modifiedonbehalfbyname { get => GetAttributeValue<string?>("modifiedonbehalfbyname"); set => SetAttributeValue("modifiedonbehalfbyname", value); }

    /// <summary>modifiedonbehalfbyyominame.</summary>
    [AttributeLogicalName("modifiedonbehalfbyyominame")]
    public string? modifiedonbehalfbyyominame { get => GetAttributeValue<string?>("modifiedonbehalfbyyominame"); set => SetAttributeValue("modifiedonbehalfbyyominame", value); }

    /// <summary>owneridname.</summary>
    [AttributeLogicalName("owneridname")]
    public string? owneridname { get => GetAttributeValue<string?>("owneridname"); set => SetAttributeValue("owneridname", value); }

    /// <summary>owneridyominame.</summary>
    [AttributeLogicalName("owneridyominame")]
    public string? owneridyominame { get => GetAttributeValue<string?>("owneridyominame"); set => SetAttributeValue("owneridyominame", value); }

    /// <summary>Owning Business Unit.</summary>
    [AttributeLogicalName("owningbusinessunit")]
    public EntityReference? owningbusinessunit { get => GetAttributeValue<EntityReference?>("owningbusinessunit"); set => SetAttributeValue("owningbusinessunit", value); }

    /// <summary>owningbusinessunitname.</summary>
    [AttributeLogicalName("owningbusinessunitname")]
    public string? owningbusinessunitname { get => GetAttributeValue<string?>("owningbusinessunitname"); set => SetAttributeValue("owningbusinessunitname", value); }

    /// <summary>Owning Team.</summary>
    [AttributeLogicalName("owningteam")]
    public EntityReference? owningteam { get => GetAttributeValue<EntityReference?>("owningteam"); set => SetAttributeValue("owningteam", value); }

    /// <summary>Owning User.</summary>
    [AttributeLogicalName("owninguser")]
    public EntityReference? owninguser { get => GetAttributeValue<EntityReference?>("owninguser"); set => SetAttributeValue("owninguser", value); }

    /// <summary>Version Number.</summary>
    [AttributeLogicalName("versionnumber")]
    public long? versionnumber { get => GetAttributeValue<long?>("versionnumber"); set => SetAttributeValue("versionnumber", value); }
}
