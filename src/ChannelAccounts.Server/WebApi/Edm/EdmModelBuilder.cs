using ChannelAccounts.Engine.Metadata;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.Edm.Vocabularies;
using Microsoft.OData.Edm.Vocabularies.V1;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>
/// Builds the EDM model the Web API parses URLs against and writes as $metadata, shaped like Dataverse's CSDL:
/// namespace Microsoft.Dynamics.CRM, every table derives from crmbaseentity (systemuser and team from principal),
/// a lookup is a navigation property plus a computed _x_value, and the query functions are composable functions.
/// </summary>
public static class EdmModelBuilder
{
    public const string Namespace = "Microsoft.Dynamics.CRM";

    /// <summary>The alias Dataverse's CSDL declares for the namespace.</summary>
    public const string Alias = "mscrm";

    public const string ContainerName = "System";

    public const string CrmBaseEntity = "crmbaseentity";

    public const string Principal = "principal";

    /// <summary>principal's key, which Dataverse calls ownerid.</summary>
    public const string PrincipalKey = "ownerid";

    public const string WhoAmI = "WhoAmI";

    public const string WhoAmIResponse = "WhoAmIResponse";

    private static readonly Lazy<IEdmModel> DefaultModel = new(() => Build(MetadataCatalog.Default));

    /// <summary>The model of <see cref="MetadataCatalog.Default"/>, built once; it is immutable.</summary>
    public static IEdmModel Default => DefaultModel.Value;

    /// <summary>The read-only property a lookup column's value is read as: ownerid → _ownerid_value.</summary>
    public static string LookupValueProperty(string column) => "_" + column + "_value";

    /// <summary>The lookup column of a _x_value property name, or null when the name is not of that form.</summary>
    public static string? LookupColumnOf(string propertyName) =>
        propertyName.Length > "__value".Length && propertyName.StartsWith('_') && propertyName.EndsWith("_value", StringComparison.Ordinal)
            ? propertyName[1..^"_value".Length]
            : null;

    /// <summary>Whether a column appears in the EDM model (name companions and owneridtype do not).</summary>
    public static bool IsInModel(AttributeDefinition attribute) =>
        attribute.IsStored && attribute.AttributeType != AttributeTypeCode.EntityName;

    public static IEdmModel Build(MetadataCatalog catalog)
    {
        var model = new EdmModel();
        model.SetNamespaceAlias(Namespace, Alias);
        var container = new EdmEntityContainer(Namespace, ContainerName);
        model.AddElement(container);

        var crmBaseEntity = new EdmEntityType(Namespace, CrmBaseEntity, baseType: null, isAbstract: true, isOpen: false);
        model.AddElement(crmBaseEntity);
        // Dataverse's CSDL keys principal on ownerid *and* systemuser/team on their own ids, which OData's validation
        // flags (a derived type may not redeclare a key), and so does ours: clients written for Dataverse read that
        // shape (Simple.OData.Client looks for principal's key to write an ownerid link), while systemusers(id) and
        // teams(id) still address systemuserid and teamid, the keys nearest their types.
        var principal = new EdmEntityType(Namespace, Principal, crmBaseEntity, isAbstract: true, isOpen: false);
        principal.AddKeys(principal.AddStructuralProperty(PrincipalKey, EdmPrimitiveTypeKind.Guid, isNullable: false));
        model.AddElement(principal);

        // Types first, so navigation properties can point at any of them.
        var types = new Dictionary<string, EdmEntityType>(StringComparer.Ordinal);
        foreach (var entity in catalog.Entities)
        {
            var baseType = entity.LogicalName is MetadataCatalog.SystemUser or MetadataCatalog.Team ? principal : crmBaseEntity;
            var type = new EdmEntityType(Namespace, entity.LogicalName, baseType, isAbstract: false, isOpen: false);
            model.AddElement(type);
            types.Add(entity.LogicalName, type);
        }

        // Columns and keys before lookups: a referential constraint needs its target's key.
        foreach (var entity in catalog.Entities)
        {
            AddColumns(entity, types[entity.LogicalName]);
        }

        foreach (var entity in catalog.Entities)
        {
            foreach (var lookup in entity.Attributes.Where(a => a.IsLookup && IsInModel(a)))
            {
                AddLookup(model, entity, lookup, types[entity.LogicalName], types, principal);
            }
        }

        var sets = catalog.Entities.ToDictionary(
            e => e.LogicalName, e => container.AddEntitySet(e.EntitySetName, types[e.LogicalName]), StringComparer.Ordinal);
        BindNavigations(catalog, types, sets);

        QueryFunctionDeclarations.AddTo(model);
        AddWhoAmI(model, container);
        OrganizationOperationDeclarations.AddTo(model, container);
        SecurityOperationDeclarations.AddTo(model, container, crmBaseEntity, types);
        PrincipalOperationDeclarations.AddTo(model, types, sets);
        BulkOperationDeclarations.AddTo(model, container, crmBaseEntity, [types[MetadataCatalog.WhatsAppAccount]]);
        BulkDeleteDeclarations.AddTo(model, container);
        return model;
    }

    private static void AddColumns(EntityDefinition entity, EdmEntityType type)
    {
        foreach (var attribute in entity.Attributes.Where(a => IsInModel(a) && !a.IsLookup))
        {
            var isKey = attribute.LogicalName == entity.PrimaryIdAttribute;
            var property = type.AddStructuralProperty(attribute.LogicalName, PrimitiveTypeOf(attribute), isNullable: !isKey);
            if (isKey)
            {
                type.AddKeys(property);
            }
        }
    }

    private static void AddLookup(EdmModel model, EntityDefinition entity, AttributeDefinition attribute, EdmEntityType type,
        IReadOnlyDictionary<string, EdmEntityType> types, EdmEntityType principal)
    {
        var value = type.AddStructuralProperty(LookupValueProperty(attribute.LogicalName), EdmPrimitiveTypeKind.Guid);
        model.SetVocabularyAnnotation(new EdmVocabularyAnnotation(value, CoreVocabularyModel.ComputedTerm, new EdmBooleanConstant(true)));

        var target = NavigationTarget(attribute, types, principal);
        if (target is null)
        {
            return; // A target table we do not define: the value is still readable as _x_value.
        }

        // Two-way, as in Dataverse's CSDL: the target gets the collection partner (lk_..._createdby on systemuser).
        // The partners are declared only; the Web API does not serve them as paths or in $expand.
        type.AddBidirectionalNavigation(
            new EdmNavigationPropertyInfo
            {
                Name = attribute.LogicalName,
                Target = target,
                TargetMultiplicity = EdmMultiplicity.ZeroOrOne,
                DependentProperties = [value],
                PrincipalProperties = target == principal ? [(IEdmStructuralProperty)principal.FindProperty(PrincipalKey)] : target.Key(),
            },
            new EdmNavigationPropertyInfo
            {
                Name = NavigationPartners.NameOf(entity.LogicalName, attribute.LogicalName),
                Target = type,
                TargetMultiplicity = EdmMultiplicity.Many,
            });
    }

    private static EdmEntityType? NavigationTarget(AttributeDefinition attribute,
        IReadOnlyDictionary<string, EdmEntityType> types, EdmEntityType principal)
    {
        if (attribute.AttributeType == AttributeTypeCode.Owner)
        {
            return principal;
        }

        return attribute.Targets.Count == 1 && types.TryGetValue(attribute.Targets[0], out var target) ? target : null;
    }

    /// <summary>
    /// Binds each navigation to the entity set of its target. A navigation to principal (ownerid) has no single
    /// set — the owner is a systemuser or a team — so it is left unbound; the Web API resolves the owner by its type.
    /// </summary>
    private static void BindNavigations(MetadataCatalog catalog, IReadOnlyDictionary<string, EdmEntityType> types,
        IReadOnlyDictionary<string, EdmEntitySet> sets)
    {
        foreach (var entity in catalog.Entities)
        {
            var set = sets[entity.LogicalName];
            // Inherited too: systemuser and team bind principal's owner_x partners.
            foreach (var navigation in types[entity.LogicalName].NavigationProperties())
            {
                var targetName = navigation.ToEntityType().Name;
                if (sets.TryGetValue(targetName, out var targetSet))
                {
                    set.AddNavigationTarget(navigation, targetSet);
                }
            }
        }
    }

    private static void AddWhoAmI(EdmModel model, EdmEntityContainer container)
    {
        var response = new EdmComplexType(Namespace, WhoAmIResponse);
        response.AddStructuralProperty("BusinessUnitId", EdmPrimitiveTypeKind.Guid, isNullable: false);
        response.AddStructuralProperty("UserId", EdmPrimitiveTypeKind.Guid, isNullable: false);
        response.AddStructuralProperty("OrganizationId", EdmPrimitiveTypeKind.Guid, isNullable: false);
        model.AddElement(response);

        var function = new EdmFunction(Namespace, WhoAmI, new EdmComplexTypeReference(response, isNullable: false),
            isBound: false, entitySetPathExpression: null, isComposable: false);
        model.AddElement(function);
        container.AddFunctionImport(WhoAmI, function, entitySet: null, includeInServiceDocument: false);
    }

    /// <summary>The EDM type of a non-lookup column (research §9's type map).</summary>
    public static EdmPrimitiveTypeKind PrimitiveTypeOf(AttributeDefinition attribute) => attribute.AttributeType switch
    {
        AttributeTypeCode.String or AttributeTypeCode.Memo => EdmPrimitiveTypeKind.String,
        AttributeTypeCode.Uniqueidentifier => EdmPrimitiveTypeKind.Guid,
        AttributeTypeCode.Integer or AttributeTypeCode.Picklist or AttributeTypeCode.State or AttributeTypeCode.Status => EdmPrimitiveTypeKind.Int32,
        AttributeTypeCode.BigInt => EdmPrimitiveTypeKind.Int64,
        // Only the DateOnly *behaviour* is a calendar date; a DateOnly *format* (overriddencreatedon) is still a point in time.
        AttributeTypeCode.DateTime when attribute.DateTimeBehavior == "DateOnly" => EdmPrimitiveTypeKind.Date,
        AttributeTypeCode.DateTime => EdmPrimitiveTypeKind.DateTimeOffset,
        AttributeTypeCode.Boolean => EdmPrimitiveTypeKind.Boolean,
        _ => throw new NotSupportedException($"Column '{attribute.LogicalName}' of type {attribute.AttributeType} has no EDM type."),
    };
}
