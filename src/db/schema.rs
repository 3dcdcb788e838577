//! Diesel table definitions for both backends: the host's reference schema
//! (read and written only through `crate::host`) and the module's own
//! `sendcloud_` tables.

diesel::table! {
    companies (id) {
        id -> BigInt,
        name -> Text,
        street -> Text,
        house_number -> Nullable<Text>,
        postal_code -> Text,
        city -> Text,
        country -> Text,
        vat_number -> Nullable<Text>,
        eori_number -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        currency -> Text,
    }
}

diesel::table! {
    warehouses (id) {
        id -> BigInt,
        company_id -> BigInt,
        code -> Text,
        name -> Text,
        street -> Text,
        house_number -> Nullable<Text>,
        postal_code -> Text,
        city -> Text,
        country -> Text,
        active -> Bool,
    }
}

diesel::table! {
    customers (id) {
        id -> BigInt,
        company_id -> BigInt,
        account_number -> Text,
        name -> Text,
        is_company -> Bool,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        street -> Text,
        house_number -> Nullable<Text>,
        address_2 -> Nullable<Text>,
        postal_code -> Text,
        city -> Text,
        state -> Nullable<Text>,
        country -> Text,
        vat_number -> Nullable<Text>,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        customer_id -> BigInt,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        street -> Nullable<Text>,
        house_number -> Nullable<Text>,
        address_2 -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        city -> Nullable<Text>,
        state -> Nullable<Text>,
        country -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    products (id) {
        id -> BigInt,
        company_id -> BigInt,
        sku -> Text,
        name -> Text,
        weight_kg -> Nullable<Dec>,
        price -> Dec,
        ean -> Nullable<Text>,
    }
}

diesel::table! {
    product_attributes (product_id, key) {
        product_id -> BigInt,
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    sales_orders (id) {
        id -> BigInt,
        company_id -> BigInt,
        order_number -> Text,
        order_date -> Timestamp,
        customer_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        warehouse_id -> Nullable<BigInt>,
        status -> Text,
        approved -> Bool,
        payment_status -> Text,
        currency -> Text,
        total_amount -> Dec,
        shipping_method_ref -> Nullable<Text>,
        service_point_ref -> Nullable<Text>,
        your_ref -> Nullable<Text>,
        remarks -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    sales_order_lines (id) {
        id -> BigInt,
        order_id -> BigInt,
        line_no -> Integer,
        product_id -> BigInt,
        description -> Text,
        quantity -> Dec,
        unit_price -> Dec,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        company_id -> BigInt,
        delivery_number -> Text,
        order_id -> BigInt,
        warehouse_id -> BigInt,
        created_at -> Timestamp,
        status -> Text,
        tracking_number -> Nullable<Text>,
        tracking_url -> Nullable<Text>,
        carrier -> Nullable<Text>,
        shipping_status -> Nullable<Text>,
        label_pdf -> Nullable<Binary>,
        remarks -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    delivery_lines (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        order_line_id -> BigInt,
        product_id -> BigInt,
        quantity -> Dec,
    }
}

diesel::table! {
    sendcloud_integrations (id) {
        id -> BigInt,
        company_id -> BigInt,
        state -> Text,
        sendcloud_integration_id -> Nullable<BigInt>,
        shop_name -> Nullable<Text>,
        system -> Nullable<Text>,
        public_key_enc -> Nullable<Text>,
        secret_key_enc -> Nullable<Text>,
        webhook_token -> Text,
        webhook_active -> Bool,
        connect_started_at -> Nullable<Timestamp>,
        connected_at -> Nullable<Timestamp>,
        failing_since -> Nullable<Timestamp>,
        last_sync_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_event_ts -> Nullable<BigInt>,
    }
}

diesel::table! {
    sendcloud_sessions (id) {
        id -> Text,
        username -> Text,
        source -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_webhook_refusals (company_id, window_start) {
        company_id -> BigInt,
        window_start -> Timestamp,
        refused -> BigInt,
        last_reason -> Text,
    }
}

diesel::table! {
    sendcloud_settings (company_id) {
        company_id -> BigInt,
        auto_create_label -> Bool,
        service_point_enabled -> Bool,
        service_point_field -> Text,
        customs_shipment_type -> Integer,
        customs_origin_country -> Text,
        customs_hs_code -> Text,
        hs_code_attribute -> Text,
        origin_attribute -> Text,
        customer_mapping -> Text,
        manual_mapping -> Text,
        sync_intervals -> Text,
        default_shipping_method -> Nullable<BigInt>,
        log_retention_days -> Integer,
        updated_at -> Timestamp,
        order_push_enabled -> Bool,
        order_push_interval -> Integer,
        order_hold_field -> Text,
        order_hold_marker -> Text,
        integration_log -> Bool,
    }
}

diesel::table! {
    sendcloud_warehouse_links (warehouse_id) {
        warehouse_id -> BigInt,
        company_id -> BigInt,
        sender_address_id -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_users (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        permissions -> Text,
        company_ids -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_idempotency_keys (caller, idem_key) {
        caller -> Text,
        idem_key -> Text,
        fingerprint -> Text,
        status -> Integer,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_user_prefs (username) {
        username -> Text,
        time_zone -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_sender_addresses (id) {
        id -> BigInt,
        company_id -> BigInt,
        sendcloud_id -> BigInt,
        company_name -> Text,
        contact_name -> Text,
        email -> Text,
        telephone -> Text,
        street -> Text,
        house_number -> Text,
        postal_box -> Text,
        postal_code -> Text,
        city -> Text,
        country -> Text,
        country_state -> Nullable<Text>,
        vat_number -> Text,
        eori_number -> Text,
        brand_id -> Nullable<BigInt>,
        label -> Text,
        active -> Bool,
        synced_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    sendcloud_shipping_methods (id) {
        id -> BigInt,
        company_id -> BigInt,
        sendcloud_id -> BigInt,
        name -> Text,
        carrier -> Text,
        min_weight -> Dec,
        max_weight -> Dec,
        service_point_input -> Text,
        countries -> Text,
        active -> Bool,
        synced_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    sendcloud_shipping_options (id) {
        id -> BigInt,
        company_id -> BigInt,
        code -> Text,
        name -> Text,
        carrier_code -> Text,
        carrier_name -> Text,
        product_code -> Text,
        product_name -> Text,
        functionalities -> Text,
        min_weight -> Nullable<Dec>,
        max_weight -> Nullable<Dec>,
        weight_unit -> Nullable<Text>,
        max_length -> Nullable<Dec>,
        max_width -> Nullable<Dec>,
        max_height -> Nullable<Dec>,
        dimension_unit -> Nullable<Text>,
        from_countries -> Nullable<Text>,
        to_countries -> Nullable<Text>,
        service_point_required -> Bool,
        export_documents -> Bool,
        required_fields -> Text,
        contract_id -> Nullable<BigInt>,
        contract_name -> Nullable<Text>,
        v2_method_id -> Nullable<BigInt>,
        active -> Bool,
        synced_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_method_options (company_id, method_id) {
        company_id -> BigInt,
        method_id -> BigInt,
        compat_code -> Nullable<Text>,
        compat_checked_at -> Nullable<Timestamp>,
        manual_code -> Nullable<Text>,
        manual_by -> Nullable<Text>,
        manual_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sendcloud_carriers (company_id, code) {
        company_id -> BigInt,
        code -> Text,
        methods -> Integer,
        active -> Bool,
        synced_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_parcel_statuses (company_id, status_id) {
        company_id -> BigInt,
        status_id -> BigInt,
        message -> Text,
        active -> Bool,
        synced_at -> Timestamp,
        code -> Nullable<Text>,
    }
}

diesel::table! {
    sendcloud_sync_runs (id) {
        id -> BigInt,
        company_id -> BigInt,
        trigger -> Text,
        objects -> Text,
        state -> Text,
        current_object -> Nullable<Text>,
        fetched -> Integer,
        created -> Integer,
        updated -> Integer,
        unchanged -> Integer,
        failed -> Integer,
        error -> Nullable<Text>,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        error_object -> Nullable<Text>,
        error_detail -> Nullable<Text>,
        progress -> Nullable<Text>,
        request_key -> Nullable<Text>,
        started_by -> Nullable<Text>,
        object_counts -> Nullable<Text>,
    }
}

diesel::table! {
    sendcloud_sync_cursors (company_id, object) {
        company_id -> BigInt,
        object -> Text,
        cursor -> Nullable<Text>,
        high_water -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_jobs (id) {
        id -> BigInt,
        kind -> Text,
        company_id -> Nullable<BigInt>,
        payload -> Text,
        dedupe_key -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        run_after -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sendcloud_action_log (id) {
        id -> BigInt,
        company_id -> Nullable<BigInt>,
        at -> Timestamp,
        direction -> Text,
        action -> Text,
        target -> Text,
        result -> Text,
        status_code -> Nullable<Integer>,
        message -> Text,
        user_name -> Nullable<Text>,
        duration_ms -> Nullable<BigInt>,
        payload -> Nullable<Text>,
    }
}

diesel::table! {
    sendcloud_order_pushes (company_id, order_id) {
        company_id -> BigInt,
        order_id -> BigInt,
        sendcloud_order_id -> Nullable<BigInt>,
        order_updated_at -> Timestamp,
        pushed_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_webhook_inbox (id) {
        id -> BigInt,
        company_id -> BigInt,
        action -> Text,
        object_id -> Nullable<BigInt>,
        event_ts -> Nullable<BigInt>,
        dedupe_key -> Text,
        body -> Text,
        state -> Text,
        attempts -> Integer,
        error -> Nullable<Text>,
        received_at -> Timestamp,
        processed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    sendcloud_parcels (id) {
        id -> BigInt,
        company_id -> BigInt,
        sendcloud_id -> BigInt,
        external_reference -> Nullable<Text>,
        order_number -> Text,
        name -> Text,
        company_name -> Text,
        city -> Text,
        postal_code -> Text,
        country -> Text,
        tracking_number -> Text,
        tracking_url -> Nullable<Text>,
        carrier -> Nullable<Text>,
        shipping_method_id -> Nullable<BigInt>,
        shipping_method_name -> Nullable<Text>,
        status_id -> Nullable<BigInt>,
        status_message -> Text,
        weight -> Nullable<Dec>,
        is_return -> Bool,
        date_created -> Nullable<Timestamp>,
        date_updated -> Nullable<Timestamp>,
        date_announced -> Nullable<Timestamp>,
        as_of_ms -> BigInt,
        synced_at -> Timestamp,
        shipment_id -> Nullable<Text>,
        status_code -> Nullable<Text>,
    }
}

diesel::table! {
    sendcloud_brands (id) {
        id -> BigInt,
        company_id -> BigInt,
        sendcloud_id -> BigInt,
        name -> Text,
        domain -> Text,
        website -> Nullable<Text>,
        color -> Nullable<Text>,
        screen_logo_url -> Nullable<Text>,
        reply_to_email -> Nullable<Text>,
        active -> Bool,
        synced_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_notify_settings (company_id) {
        company_id -> BigInt,
        email -> Nullable<Text>,
        webhook_url -> Nullable<Text>,
        after_failed_runs -> Integer,
        after_hours -> Integer,
        language -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_incidents (id) {
        id -> BigInt,
        company_id -> BigInt,
        kind -> Text,
        opened_at -> Timestamp,
        failures -> Integer,
        last_failure_at -> Timestamp,
        problem -> Text,
        subject -> Nullable<Text>,
        notified_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        all_clear_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    sendcloud_returns (id) {
        id -> BigInt,
        company_id -> BigInt,
        sendcloud_id -> BigInt,
        status -> Nullable<Text>,
        parcel_status -> Nullable<Text>,
        order_number -> Text,
        tracking_number -> Nullable<Text>,
        tracking_url -> Nullable<Text>,
        carrier -> Nullable<Text>,
        shipping_product_code -> Nullable<Text>,
        shipping_option_code -> Nullable<Text>,
        reason_id -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        refund_type -> Nullable<Text>,
        return_fee -> Nullable<Dec>,
        return_fee_currency -> Nullable<Text>,
        label_cost -> Nullable<Dec>,
        label_currency -> Nullable<Text>,
        from_name -> Nullable<Text>,
        from_country -> Nullable<Text>,
        brand_id -> Nullable<BigInt>,
        outgoing_parcel_id -> Nullable<BigInt>,
        incoming_parcel_id -> Nullable<BigInt>,
        delivery_id -> Nullable<BigInt>,
        created_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        raw -> Nullable<Text>,
        as_of_ms -> BigInt,
        synced_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    sendcloud_invoices (id) {
        id -> BigInt,
        company_id -> BigInt,
        sendcloud_id -> BigInt,
        reference -> Text,
        kind -> Text,
        price_incl -> Dec,
        price_excl -> Dec,
        currency -> Nullable<Text>,
        is_paid -> Bool,
        invoice_date -> Nullable<Timestamp>,
        item_count -> BigInt,
        raw -> Nullable<Text>,
        as_of_ms -> BigInt,
        synced_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::Dec;

    sendcloud_invoice_items (id) {
        id -> BigInt,
        company_id -> BigInt,
        invoice_id -> BigInt,
        sendcloud_id -> BigInt,
        description -> Text,
        amount -> Nullable<Dec>,
        quantity -> Nullable<Dec>,
        parcel_id -> Nullable<BigInt>,
        tracking_number -> Nullable<Text>,
        position -> BigInt,
    }
}

diesel::joinable!(warehouses -> companies (company_id));
diesel::joinable!(sendcloud_invoice_items -> sendcloud_invoices (invoice_id));
diesel::joinable!(customers -> companies (company_id));
diesel::joinable!(contacts -> customers (customer_id));
diesel::joinable!(products -> companies (company_id));
diesel::joinable!(product_attributes -> products (product_id));
diesel::joinable!(sales_orders -> customers (customer_id));
diesel::joinable!(sales_order_lines -> sales_orders (order_id));
diesel::joinable!(sales_order_lines -> products (product_id));
diesel::joinable!(deliveries -> sales_orders (order_id));
diesel::joinable!(deliveries -> warehouses (warehouse_id));
diesel::joinable!(delivery_lines -> deliveries (delivery_id));
diesel::joinable!(delivery_lines -> products (product_id));
diesel::joinable!(delivery_lines -> sales_order_lines (order_line_id));
diesel::joinable!(sendcloud_integrations -> companies (company_id));
diesel::joinable!(sendcloud_settings -> companies (company_id));
diesel::joinable!(sendcloud_warehouse_links -> warehouses (warehouse_id));
diesel::joinable!(sendcloud_sender_addresses -> companies (company_id));
diesel::joinable!(sendcloud_shipping_methods -> companies (company_id));
diesel::joinable!(sendcloud_sync_runs -> companies (company_id));
diesel::joinable!(sendcloud_order_pushes -> sales_orders (order_id));

diesel::table! {
    sendcloud_labels (id) {
        id -> BigInt,
        company_id -> BigInt,
        delivery_id -> BigInt,
        external_reference_id -> Text,
        order_number -> Text,
        state -> Text,
        shipment_id -> Nullable<Text>,
        parcel_id -> Nullable<BigInt>,
        tracking_number -> Nullable<Text>,
        tracking_url -> Nullable<Text>,
        carrier -> Nullable<Text>,
        option_code -> Nullable<Text>,
        status_id -> Nullable<BigInt>,
        status_code -> Nullable<Text>,
        status_message -> Nullable<Text>,
        problems -> Text,
        cancel_outcome -> Nullable<Text>,
        test_mode -> Bool,
        attempts -> Integer,
        as_of_ms -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        integration_logged -> Nullable<Text>,
    }
}

diesel::table! {
    sendcloud_label_documents (id) {
        id -> BigInt,
        company_id -> BigInt,
        label_id -> BigInt,
        parcel_id -> BigInt,
        format -> Text,
        content -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_label_events (id) {
        id -> BigInt,
        label_id -> BigInt,
        status_id -> Nullable<BigInt>,
        status_code -> Nullable<Text>,
        message -> Text,
        as_of_ms -> BigInt,
    }
}

diesel::table! {
    sendcloud_label_settings (company_id) {
        company_id -> BigInt,
        test_mode -> Bool,
        swept_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_event_hooks (company_id) {
        company_id -> BigInt,
        url -> Text,
        secret_sealed -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_outbox (id) {
        id -> BigInt,
        company_id -> BigInt,
        event_id -> Text,
        event_type -> Text,
        delivery_id -> BigInt,
        payload -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sendcloud_order_push_marks (company_id) {
        company_id -> BigInt,
        high_water -> Timestamp,
        last_run_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_integration_log_writes (id) {
        id -> BigInt,
        company_id -> BigInt,
        written_at -> Timestamp,
    }
}

diesel::table! {
    sendcloud_integration_log_unwritten (company_id) {
        company_id -> BigInt,
        failures -> Integer,
        since -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    sendcloud_shipping_options,
    sendcloud_method_options,
    companies,
    warehouses,
    customers,
    contacts,
    products,
    product_attributes,
    sales_orders,
    sales_order_lines,
    deliveries,
    delivery_lines,
    sendcloud_integrations,
    sendcloud_settings,
    sendcloud_warehouse_links,
    sendcloud_users,
    sendcloud_user_prefs,
    sendcloud_idempotency_keys,
    sendcloud_sessions,
    sendcloud_webhook_refusals,
    sendcloud_sender_addresses,
    sendcloud_shipping_methods,
    sendcloud_carriers,
    sendcloud_parcel_statuses,
    sendcloud_sync_runs,
    sendcloud_sync_cursors,
    sendcloud_jobs,
    sendcloud_action_log,
    sendcloud_order_pushes,
    sendcloud_webhook_inbox,
    sendcloud_parcels,
    sendcloud_brands,
    sendcloud_notify_settings,
    sendcloud_incidents,
    sendcloud_returns,
    sendcloud_invoices,
    sendcloud_invoice_items,
    sendcloud_labels,
    sendcloud_label_documents,
    sendcloud_label_events,
    sendcloud_label_settings,
    sendcloud_integration_log_writes,
    sendcloud_integration_log_unwritten
);
